/**
 * What the page fetches from /sandboxes/<id>.json on first interaction: everything a runtime needs
 * to run the lab and grade it. Written at build time by src/integration/sandbox-files.ts.
 */
export type Files = Record<string, string>;

export interface BundleManifest {
  title: string;
  /** argv of the main process, e.g. ["node", "server.js"]. */
  run: string[];
  /** Files shown first in the editor. */
  open: string[];
  topology: { instances: number; store: boolean } | null;
  /** Hints keyed by the exact check title. */
  hints: Record<string, string>;
  /** The lab's steps and the checks that prove each one; null when the lab is one step. */
  steps: LabStep[] | null;
}

export interface LabStep {
  title: string;
  /** Exact check titles; together the steps name every check once. */
  checks: string[];
}

export interface SandboxBundle {
  id: string;
  manifest: BundleManifest;
  /** The learner's editable files as the lab starts. */
  starter: Files;
  /** The reference answer, for "Show solution". Same paths as the starter, maybe more. */
  solution: Files;
  /** Mounted next to the learner's files but never shown: `_kit/*.mjs` and `checks/*.test.mjs`. */
  support: Files;
  /** Check titles read from the check files, so rows can show before a run reports. */
  checkTitles: string[];
}

/** The command that runs every check through the kit's reporter. */
export const CHECK_ARGS = ['--test', '--test-reporter=./_kit/reporter.mjs', 'checks/'] as const;
