/**
 * Build-time reader of sandboxes/<id>/: the manifest, the starter and solution trees, the checks and
 * the kit modules the lab needs. Used by <Sandbox /> (static first view) and by the
 * /sandboxes/<id>.json endpoint (what the workspace fetches on first interaction).
 *
 * Node only. Problems fail the build with a message naming the file, because an author who adds a
 * lesson should never have to read a stack trace to find a typo in sandbox.json.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
// eslint-disable-next-line no-restricted-imports -- until these types move to src/sandbox/
import type { BundleManifest, Files, SandboxBundle } from '../client/workspace/sandbox-bundle.ts';
import { describeManifestErrors, sandboxSchema } from '../schemas/sandbox.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const SANDBOXES_DIR = join(projectRoot, 'sandboxes');

export class SandboxFilesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxFilesError';
  }
}

/** Text files only; sandboxes are small by design, so anything big is almost surely a mistake. */
const MAX_FILE_BYTES = 200_000;

/** A path as an author knows it: `sandboxes/<id>/...`. */
function shownPath(sandboxesDir: string, path: string): string {
  return relative(dirname(sandboxesDir), path).split('\\').join('/');
}

function readTree(sandboxesDir: string, dir: string, base: string = dir): Files {
  const files: Files = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '.DS_Store') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      Object.assign(files, readTree(sandboxesDir, path, base));
    } else if (stat.isFile()) {
      const shown = shownPath(sandboxesDir, path);
      if (stat.size > MAX_FILE_BYTES) {
        throw new SandboxFilesError(
          `${shown} is ${stat.size} bytes; sandbox files must be small text files.`,
        );
      }
      files[relative(base, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  }
  return files;
}

/** Sandbox ids: folders under sandboxes/ that hold a sandbox.json (the kit folder `_kit` is not one). */
export function listSandboxIds(sandboxesDir: string = SANDBOXES_DIR): string[] {
  if (!existsSync(sandboxesDir)) return [];
  return readdirSync(sandboxesDir)
    .filter((name) => !name.startsWith('_') && !name.startsWith('.'))
    .filter((name) => existsSync(join(sandboxesDir, name, 'sandbox.json')))
    .sort();
}

function readManifest(sandboxesDir: string, id: string): BundleManifest {
  const file = join(sandboxesDir, id, 'sandbox.json');
  const shown = shownPath(sandboxesDir, file);
  if (!existsSync(file)) {
    throw new SandboxFilesError(
      `${shown} is missing. Every sandbox needs a manifest (see CONTRIBUTING.md).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SandboxFilesError(`${shown} is not valid JSON: ${(error as Error).message}`);
  }
  const result = sandboxSchema.safeParse(json);
  if (!result.success) {
    throw new SandboxFilesError(
      `${shown} is not a valid sandbox manifest:\n${describeManifestErrors(result.error)}`,
    );
  }
  const { title, run, open, topology, hints } = result.data;
  return { title, run, open, topology: topology ?? null, hints };
}

/**
 * Every kit module, mounted under _kit/. The manifest's `kit` list says what a lab uses, but the
 * helpers start the balancer and the store as files of their own, so mounting the whole (small)
 * kit is what keeps a lab from failing on a module it reaches only indirectly.
 */
function readKit(sandboxesDir: string): Files {
  const dir = join(sandboxesDir, '_kit');
  if (!existsSync(dir)) return {};
  const kit: Files = {};
  for (const name of readdirSync(dir).sort()) {
    // Kit tests and fixtures stay out of the learner's sandbox.
    if (!name.endsWith('.mjs') || name.includes('.test.')) continue;
    kit[`_kit/${name}`] = readFileSync(join(dir, name), 'utf8');
  }
  return kit;
}

const TEST_NAME = /\b(?:test|it)\(\s*(['"])((?:\\.|(?!\1)[^\\\n])*)\1/g;

/** Check titles as written in the check files (string-literal test names only). */
export function extractCheckTitles(source: string): string[] {
  const titles: string[] = [];
  for (const match of source.matchAll(TEST_NAME)) {
    const raw = match[2] ?? '';
    titles.push(raw.replace(/\\(.)/g, '$1'));
  }
  return titles;
}

/** `sandboxesDir` is for tests; the site always reads the project's sandboxes/ folder. */
export function readSandbox(id: string, sandboxesDir: string = SANDBOXES_DIR): SandboxBundle {
  const root = join(sandboxesDir, id);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || !existsSync(root)) {
    throw new SandboxFilesError(
      `<Sandbox id="${id}" />: there is no folder sandboxes/${id}/. Known sandboxes: ${listSandboxIds(sandboxesDir).join(', ') || 'none'}.`,
    );
  }
  const manifest = readManifest(sandboxesDir, id);
  const need = (sub: string): Files => {
    const dir = join(root, sub);
    if (!existsSync(dir)) throw new SandboxFilesError(`sandboxes/${id}/${sub}/ is missing.`);
    return readTree(sandboxesDir, dir);
  };
  const starter = need('starter');
  const solution = need('solution');
  const checkFiles = existsSync(join(root, 'checks'))
    ? readTree(sandboxesDir, join(root, 'checks'))
    : {};
  for (const path of manifest.open) {
    if (!Object.hasOwn(starter, path)) {
      throw new SandboxFilesError(
        `sandboxes/${id}/sandbox.json opens "${path}", but sandboxes/${id}/starter/${path} does not exist.`,
      );
    }
  }
  const checks: Files = {};
  const checkTitles: string[] = [];
  for (const [path, text] of Object.entries(checkFiles)) {
    checks[`checks/${path}`] = text;
    if (path.endsWith('.test.mjs')) checkTitles.push(...extractCheckTitles(text));
  }
  return {
    id,
    manifest,
    starter,
    solution,
    support: { ...readKit(sandboxesDir), ...checks },
    checkTitles,
  };
}
