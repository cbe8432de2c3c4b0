import type { FileTree } from '../runtime/types.ts';
import { alwaysMountedKitModules, type SandboxManifest } from '../schemas/sandbox.ts';

/**
 * How a sandbox becomes the file tree a runtime mounts. Pure, so the page, the local runner and
 * the grade CLI all lay a sandbox out the same way:
 *   <learner files at the root>, _kit/<module>.mjs for each kit module (+ the reporter), checks/…
 */

export interface SandboxSource {
  id: string;
  manifest: SandboxManifest;
  starter: FileTree;
  solution: FileTree;
  /** Keyed `checks/<name>.test.mjs`. */
  checks: FileTree;
  /** Every module in sandboxes/_kit, keyed by module name (`check-helpers`), not path. */
  kitSources: Readonly<Record<string, string>>;
}

export type LearnerVariant = 'starter' | 'solution';

export const REPORTER_PATH = '_kit/reporter.mjs';

export function kitModulesFor(manifest: SandboxManifest): string[] {
  return [...new Set([...manifest.kit, ...alwaysMountedKitModules])];
}

const KIT_IMPORT = /(?:from\s*|import\s*\(\s*|import\s+|new URL\(\s*)['"]\.\/([\w-]+)\.mjs['"]/g;

/**
 * The listed kit modules plus every kit module they import, directly or not: kit files import each
 * other with plain relative paths, and a lab should not have to know which.
 */
export function withKitImports(
  modules: readonly string[],
  kitSources: Readonly<Record<string, string>>,
): string[] {
  const seen = new Set<string>();
  const visit = (module: string): void => {
    if (seen.has(module)) return;
    seen.add(module);
    for (const match of (kitSources[module] ?? '').matchAll(KIT_IMPORT)) visit(match[1] ?? '');
  };
  modules.forEach(visit);
  return [...seen];
}

/** Learner files (from the given variant, or the learner's own edits) + kit + checks. */
export function assembleSandboxTree(
  sandbox: SandboxSource,
  learnerFiles: FileTree | LearnerVariant,
): Record<string, string> {
  const learner = typeof learnerFiles === 'string' ? sandbox[learnerFiles] : learnerFiles;
  const tree: Record<string, string> = { ...learner };
  for (const module of withKitImports(kitModulesFor(sandbox.manifest), sandbox.kitSources)) {
    const source = sandbox.kitSources[module];
    if (source === undefined) throw new Error(`sandboxes/_kit/${module}.mjs does not exist`);
    tree[`_kit/${module}.mjs`] = source;
  }
  Object.assign(tree, sandbox.checks);
  return tree;
}

/** The check files of a tree, sorted so runs are repeatable. */
export function checkFilesOf(tree: FileTree): string[] {
  return Object.keys(tree)
    .filter((p) => p.startsWith('checks/') && p.endsWith('.test.mjs'))
    .sort();
}

/**
 * argv that runs the checks from the sandbox root (env SVS_CHECK_NONCE must be set). Files are
 * listed one by one: Node 20 accepts a directory here, but Node 22 reads arguments as globs.
 */
export function checkCommand(checkFiles: readonly string[]): string[] {
  return ['node', '--test', `--test-reporter=./${REPORTER_PATH}`, ...checkFiles];
}
