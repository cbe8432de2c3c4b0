/**
 * How a lab becomes the file tree a runtime mounts, and the command that grades it. Pure, so the
 * page (through the bundle), the local runner and `npm run grade` lay a lab out the same way:
 *
 *   <learner files at the root>   _kit/<module>.mjs (see kit.ts)   checks/<file>.test.mjs
 */
import { SandboxError } from './errors.ts';
import { KIT_FOLDER, kitModulesOf, REPORTER_MODULE } from './kit.ts';
import type { Files, Lab, SandboxBundle } from './types.ts';

export const CHECKS_FOLDER = 'checks';
const CHECK_FILE = /\.test\.mjs$/;

/** Everything mounted beside the learner's files and never shown: the kit modules and the checks. */
export function supportFiles(lab: Lab): Files {
  const support: Files = {};
  for (const module of kitModulesOf(lab)) {
    support[`${KIT_FOLDER}/${module}.mjs`] = lab.kitSources[module] ?? '';
  }
  return { ...support, ...lab.checks };
}

/** The tree a runtime mounts: learner files, then the support files (a learner can't replace those). */
export function mountTree(learner: Files, support: Files): Files {
  return { ...learner, ...support };
}

/** The solution's learner files with an alternative's files replacing same-named ones. */
export function overlay(base: Files, replacements: Files): Files {
  return { ...base, ...replacements };
}

/** The check files of a tree, sorted so runs are repeatable. */
export function checkFilesOf(tree: Files): string[] {
  return Object.keys(tree)
    .filter((p) => p.startsWith(`${CHECKS_FOLDER}/`) && CHECK_FILE.test(p))
    .sort();
}

/**
 * argv that runs the checks from the sandbox root, with the run's nonce in env NONCE_ENV. Every
 * check file is named: Node 20 accepts a folder here, but Node 22 reads each argument as a glob,
 * so `checks/` would be loaded as a module and every check would vanish.
 */
export function checkCommand(checkFiles: readonly string[]): string[] {
  if (checkFiles.length === 0) throw new SandboxError('There are no check files to run.');
  return [
    'node',
    '--test',
    `--test-reporter=./${KIT_FOLDER}/${REPORTER_MODULE}.mjs`,
    ...checkFiles,
  ];
}

const TEST_NAME = /\b(?:test|it)\(\s*(['"])((?:\\.|(?!\1)[^\\\n])*)\1/g;

/** Check titles as written in the check files (string-literal test names only). */
export function extractCheckTitles(source: string): string[] {
  return [...source.matchAll(TEST_NAME)].map((match) => (match[2] ?? '').replace(/\\(.)/g, '$1'));
}

/** What the page fetches: the lab's files, its support tree and its check command. */
export function bundleOf(lab: Lab): SandboxBundle {
  const { title, run, open, topology, hints, steps } = lab.manifest;
  const support = supportFiles(lab);
  const checkFiles = checkFilesOf(support);
  return {
    id: lab.id,
    manifest: { title, run, open, topology: topology ?? null, hints, steps: steps ?? null },
    starter: lab.starter,
    solution: lab.solution,
    support,
    checkCommand: checkCommand(checkFiles),
    checkTitles: checkFiles.flatMap((path) => extractCheckTitles(support[path] ?? '')),
  };
}
