/**
 * Reads a lab from sandboxes/<id>/ (Node only; everything else in src/sandbox/ is pure). Used by the
 * build (the lesson page and /sandboxes/<id>.json) and by `npm run grade`, so both see one lab.
 *
 * Synchronous on purpose: Astro components render synchronously from these reads, and a lab is a
 * handful of small files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeManifestErrors, sandboxSchema, type SandboxManifest } from '../schemas/sandbox.ts';
import { checkFilesOf } from './assemble.ts';
import { SandboxError } from './errors.ts';
import { KIT_FOLDER, kitModulesOf } from './kit.ts';
import type { Files, Lab } from './types.ts';

export const SANDBOXES_DIR = fileURLToPath(new URL('../../sandboxes/', import.meta.url));

/** Text files only; sandboxes are small by design, so anything big is almost surely a mistake. */
const MAX_FILE_BYTES = 200_000;
const SKIPPED = new Set(['node_modules', '.DS_Store']);
const LAB_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Every file under `dir`, keyed by POSIX path relative to it. `shown` names `dir` in errors. */
export function readTree(dir: string, shown: string): Files {
  const files: Files = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      if (SKIPPED.has(name)) continue;
      const path = join(current, name);
      const stat = statSync(path);
      const key = relative(dir, path).split('\\').join('/');
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) {
        if (stat.size > MAX_FILE_BYTES) {
          throw new SandboxError(
            `${shown}${key} is ${stat.size} bytes; sandbox files must be small text files.`,
          );
        }
        files[key] = readFileSync(path, 'utf8');
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** Lab ids: folders under sandboxes/ that hold a sandbox.json (the kit folder `_kit` is not one). */
export function listLabIds(sandboxesDir: string = SANDBOXES_DIR): string[] {
  if (!existsSync(sandboxesDir)) return [];
  return readdirSync(sandboxesDir)
    .filter((name) => !name.startsWith('_') && !name.startsWith('.'))
    .filter((name) => existsSync(join(sandboxesDir, name, 'sandbox.json')))
    .sort();
}

/** Every module in sandboxes/_kit/ by name (`check-helpers`); kit tests and fixtures stay out. */
export function readKitSources(sandboxesDir: string = SANDBOXES_DIR): Record<string, string> {
  const kit: Record<string, string> = {};
  const dir = join(sandboxesDir, KIT_FOLDER);
  if (!existsSync(dir)) return kit;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.mjs') || name.includes('.test.')) continue;
    kit[name.slice(0, -'.mjs'.length)] = readFileSync(join(dir, name), 'utf8');
  }
  return kit;
}

function readManifest(sandboxesDir: string, id: string): SandboxManifest {
  const shown = `sandboxes/${id}/sandbox.json`;
  const file = join(sandboxesDir, id, 'sandbox.json');
  if (!existsSync(file)) {
    throw new SandboxError(
      `${shown} is missing. Every sandbox needs a manifest (see CONTRIBUTING.md).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SandboxError(`${shown} is not valid JSON: ${(error as Error).message}`);
  }
  const result = sandboxSchema.safeParse(json);
  if (!result.success) {
    throw new SandboxError(
      `${shown} is not a valid sandbox manifest:\n${describeManifestErrors(result.error)}`,
    );
  }
  return result.data;
}

/** What the files alone must agree on; each message names the file an author has to fix. */
function validate(lab: Lab): void {
  const { id, manifest, starter, solution, checks } = lab;
  if (Object.keys(starter).length === 0) {
    throw new SandboxError(`sandboxes/${id}/starter/ is missing or empty.`);
  }
  if (Object.keys(solution).length === 0) {
    throw new SandboxError(`sandboxes/${id}/solution/ is missing or empty.`);
  }
  if (checkFilesOf(checks).length === 0) {
    throw new SandboxError(
      `sandboxes/${id}/checks/ has no *.test.mjs file: lab "${id}" would have nothing to grade.`,
    );
  }
  for (const path of manifest.open) {
    if (!Object.hasOwn(starter, path)) {
      throw new SandboxError(
        `sandboxes/${id}/sandbox.json opens "${path}", but sandboxes/${id}/starter/${path} does not exist.`,
      );
    }
  }
  for (const arg of manifest.run.slice(1)) {
    if (/\.[cm]?js$/.test(arg) && !arg.includes('_kit/') && !Object.hasOwn(starter, arg)) {
      throw new SandboxError(
        `sandboxes/${id}/sandbox.json "run" starts ${arg}, but sandboxes/${id}/starter/${arg} does not exist.`,
      );
    }
  }
  kitModulesOf(lab); // throws, naming who asked, when a kit module is missing
}

/** Reads and validates one lab. `sandboxesDir` is for tests; the site reads the project's folder. */
export function readLab(
  id: string,
  sandboxesDir: string = SANDBOXES_DIR,
  kitSources: Readonly<Record<string, string>> = readKitSources(sandboxesDir),
): Lab {
  const root = join(sandboxesDir, id);
  if (!LAB_ID.test(id) || !existsSync(root)) {
    const known = listLabIds(sandboxesDir).join(', ') || 'none';
    throw new SandboxError(`There is no folder sandboxes/${id}/. Known sandboxes: ${known}.`);
  }
  const manifest = readManifest(sandboxesDir, id);
  const checks: Files = {};
  for (const [path, text] of Object.entries(
    readTree(join(root, 'checks'), `sandboxes/${id}/checks/`),
  )) {
    checks[`checks/${path}`] = text;
  }
  const lab: Lab = {
    id,
    manifest,
    starter: readTree(join(root, 'starter'), `sandboxes/${id}/starter/`),
    solution: readTree(join(root, 'solution'), `sandboxes/${id}/solution/`),
    checks,
    kitSources,
  };
  validate(lab);
  return lab;
}
