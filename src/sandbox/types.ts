/**
 * The shapes of a lab: what the loader reads from sandboxes/<id>/ and what the page fetches from
 * /sandboxes/<id>.json. Types only, shared by the build, the browser and the grader.
 */
import type { SandboxManifest } from '../schemas/sandbox.ts';

/** Text files keyed by POSIX path relative to the sandbox root (`lib/store.js`). */
export type Files = Record<string, string>;

/** A lab as read from disk (src/sandbox/load.ts). */
export interface Lab {
  id: string;
  manifest: SandboxManifest;
  /** Learner files the lab starts from. */
  starter: Files;
  /** The reference answer's learner files. */
  solution: Files;
  /** Keyed `checks/<path>`. */
  checks: Files;
  /** Every module in sandboxes/_kit/, keyed by module name (`check-helpers`), not path. */
  kitSources: Readonly<Record<string, string>>;
}

/** The part of the manifest the page needs. */
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

/** What the page fetches on first interaction: everything a runtime needs to run and grade. */
export interface SandboxBundle {
  id: string;
  manifest: BundleManifest;
  /** The learner's editable files as the lab starts. */
  starter: Files;
  /** The reference answer, for "Show solution". Same paths as the starter, maybe more. */
  solution: Files;
  /** Mounted next to the learner's files but never shown: `_kit/*.mjs` and `checks/*.test.mjs`. */
  support: Files;
  /** argv that runs every check (run it with the nonce in env NONCE_ENV); names files only. */
  checkCommand: string[];
  /** Check titles read from the check files, so rows can show before a run reports. */
  checkTitles: string[];
}
