/**
 * Which kit modules a lab mounts under `_kit/`. Pure, so the build and the grader agree.
 *
 * Roots: the manifest's `kit` list, the reporter (every check run needs it), and every
 * `_kit/<module>.mjs` the lab's run command, checks, starter or solution name. Then every `./x.mjs`
 * a mounted kit module names (imports it, or resolves it against import.meta.url), transitively: a kit module that grows a helper file of its own
 * never needs a manifest change. (A kit module that only *spawns* another by path, as the check
 * helpers do with the balancer and the store, cannot be seen here: the manifest lists those.)
 */
import { SandboxError } from './errors.ts';
import type { Files, Lab } from './types.ts';

export const KIT_FOLDER = '_kit';
export const REPORTER_MODULE = 'reporter';

const MODULE_NAME = '[a-z0-9][a-z0-9-]*';
/**
 * `from './x.mjs'`, `import './x.mjs'`, `import('./x.mjs')` and `new URL('./x.mjs', import.meta.url)`
 * (a file a kit module hands to a child process, such as the orphan guard) inside a kit module.
 */
const KIT_IMPORT = new RegExp(
  `(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*|\\bnew URL\\(\\s*)(['"])\\./(${MODULE_NAME})\\.mjs\\1`,
  'g',
);
/** Any quoted `_kit/x.mjs` path in a lab's own files (`../_kit/x.mjs`, `./_kit/x.mjs`, `_kit/x.mjs`). */
const LAB_KIT_PATH = new RegExp(`(['"\`])(?:\\.{1,2}/)*_kit/(${MODULE_NAME})\\.mjs\\1`, 'g');

/** A run argument that starts a kit module: `_kit/balancer.mjs`. */
const RUN_KIT_ARG = new RegExp(`^(?:\\./)?_kit/(${MODULE_NAME})\\.mjs$`);

/** The kit modules a kit module's source imports by relative path. */
export function kitImportsOf(source: string): string[] {
  return [...source.matchAll(KIT_IMPORT)].map((match) => match[2] ?? '');
}

function kitPathsIn(files: Files): string[] {
  return Object.values(files).flatMap((text) =>
    [...text.matchAll(LAB_KIT_PATH)].map((match) => match[2] ?? ''),
  );
}

/** Sorted names of every kit module the lab mounts. Throws, naming the lab, if one is missing. */
export function kitModulesOf(lab: Lab): string[] {
  const roots: [string, string][] = [
    [REPORTER_MODULE, 'the check command'],
    ...lab.manifest.kit.map((m): [string, string] => [m, `sandboxes/${lab.id}/sandbox.json "kit"`]),
    ...lab.manifest.run
      .flatMap((arg) => RUN_KIT_ARG.exec(arg)?.[1] ?? [])
      .map((m): [string, string] => [m, `sandboxes/${lab.id}/sandbox.json "run"`]),
    ...kitPathsIn(lab.checks).map((m): [string, string] => [m, `sandboxes/${lab.id}/checks/`]),
    ...kitPathsIn({ ...lab.starter, ...lab.solution }).map((m): [string, string] => [
      m,
      `sandboxes/${lab.id}/ starter or solution`,
    ]),
  ];
  const mounted = new Set<string>();
  const queue = [...roots];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [module, wantedBy] = next;
    if (mounted.has(module)) continue;
    const source = lab.kitSources[module];
    if (source === undefined) {
      throw new SandboxError(
        `${wantedBy} needs the kit module "${module}", but sandboxes/${KIT_FOLDER}/${module}.mjs does not exist.`,
      );
    }
    mounted.add(module);
    for (const imported of kitImportsOf(source)) {
      queue.push([imported, `sandboxes/${KIT_FOLDER}/${module}.mjs`]);
    }
  }
  return [...mounted].sort();
}
