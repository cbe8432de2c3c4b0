import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileTree } from '../runtime/types.ts';
import { describeManifestErrors, sandboxSchema } from '../schemas/sandbox.ts';
import type { SandboxSource } from './assemble.ts';

/** Reads sandboxes/<id>/ from disk (Node only). Errors name the file a lesson author must fix. */

export const KIT_FOLDER = '_kit';

export class SandboxLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxLoadError';
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Every text file under `dir`, keyed by POSIX path relative to it, prefixed with `prefix`. */
export async function readTree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  if (!(await exists(dir))) return tree;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      Object.assign(tree, await readTree(full, `${prefix}${entry.name}/`));
    } else if (entry.isFile()) {
      tree[`${prefix}${entry.name}`] = await readFile(full, 'utf8');
    }
  }
  return tree;
}

/** Folder names under sandboxes/ that are labs (the kit and hidden folders are not). */
export async function listSandboxIds(sandboxesDir: string): Promise<string[]> {
  const entries = await readdir(sandboxesDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

export async function readKitSources(sandboxesDir: string): Promise<Record<string, string>> {
  const files = await readTree(path.join(sandboxesDir, KIT_FOLDER));
  const modules: Record<string, string> = {};
  for (const [name, source] of Object.entries(files)) {
    if (!name.includes('/') && name.endsWith('.mjs'))
      modules[name.slice(0, -'.mjs'.length)] = source;
  }
  return modules;
}

export async function loadSandbox(
  sandboxesDir: string,
  id: string,
  kitSources?: Record<string, string>,
): Promise<SandboxSource> {
  const dir = path.join(sandboxesDir, id);
  const manifestPath = path.join(dir, 'sandbox.json');
  const shown = path.relative(process.cwd(), manifestPath) || manifestPath;
  if (!(await exists(dir)))
    throw new SandboxLoadError(`${path.relative(process.cwd(), dir)} does not exist`);

  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? `is not valid JSON (${error.message})` : 'is missing';
    throw new SandboxLoadError(`${shown} ${reason}`);
  }
  const parsed = sandboxSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SandboxLoadError(
      `${shown} is not a valid manifest:\n${describeManifestErrors(parsed.error)}`,
    );
  }

  const checks: FileTree = await readTree(path.join(dir, 'checks'), 'checks/');
  return {
    id,
    manifest: parsed.data,
    starter: await readTree(path.join(dir, 'starter')),
    solution: await readTree(path.join(dir, 'solution')),
    checks,
    kitSources: kitSources ?? (await readKitSources(sandboxesDir)),
  };
}
