/**
 * A lab's other answers (Node only; the grader reads them, the page never does):
 *
 *   sandboxes/<id>/mutants/<name>/    a plausible wrong answer: must fail at least one check
 *   sandboxes/<id>/variants/<name>/   another correct answer: must pass every check
 *
 * Each folder holds only learner files plus `WHY` (one line: the misconception, or how the
 * variant differs). The tree graded is the solution with the folder's files replacing
 * same-named ones.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { overlay } from './assemble.ts';
import { SandboxError } from './errors.ts';
import { readTree, SANDBOXES_DIR } from './load.ts';
import type { Files, Lab } from './types.ts';

export type AlternativeKind = 'mutants' | 'variants';
export const ALTERNATIVE_KINDS: readonly AlternativeKind[] = ['mutants', 'variants'];

export interface Alternative {
  kind: AlternativeKind;
  name: string;
  /** The one line from WHY. */
  why: string;
  /** The learner files graded: the solution overlaid with the folder's files. */
  learner: Files;
}

const WHY = 'WHY';

function readAlternative(lab: Lab, kind: AlternativeKind, name: string, dir: string): Alternative {
  const shown = `sandboxes/${lab.id}/${kind}/${name}/`;
  const { [WHY]: why, ...files } = readTree(dir, shown);
  const reason = why?.trim() ?? '';
  if (reason === '') {
    throw new SandboxError(
      `${shown}${WHY} is missing or empty: say in one line why this ${kind === 'mutants' ? 'mutant is wrong' : 'variant differs'}.`,
    );
  }
  if (reason.includes('\n')) {
    throw new SandboxError(`${shown}${WHY} must be one line; it has ${reason.split('\n').length}.`);
  }
  const paths = Object.keys(files);
  if (paths.length === 0) {
    throw new SandboxError(`${shown} holds no learner file besides ${WHY}.`);
  }
  for (const path of paths) {
    if (!Object.hasOwn(lab.starter, path)) {
      throw new SandboxError(
        `${shown}${path} is not a learner file: sandboxes/${lab.id}/starter/${path} does not exist.`,
      );
    }
  }
  return { kind, name, why: reason, learner: overlay(lab.solution, files) };
}

/**
 * The lab's mutants or variants, sorted by name, and one problem per folder that breaks the
 * convention (each naming the folder), so an author sees every broken folder at once.
 */
export function readAlternatives(
  lab: Lab,
  kind: AlternativeKind,
  sandboxesDir: string = SANDBOXES_DIR,
): { alternatives: Alternative[]; problems: string[] } {
  const alternatives: Alternative[] = [];
  const problems: string[] = [];
  const root = join(sandboxesDir, lab.id, kind);
  if (!existsSync(root)) return { alternatives, problems };
  for (const name of readdirSync(root).sort()) {
    if (name.startsWith('.')) continue;
    const dir = join(root, name);
    try {
      if (!statSync(dir).isDirectory()) {
        throw new SandboxError(
          `sandboxes/${lab.id}/${kind}/${name} is a file; each of the ${kind} is a folder of learner files plus ${WHY}.`,
        );
      }
      alternatives.push(readAlternative(lab, kind, name, dir));
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      problems.push(error.message);
    }
  }
  return { alternatives, problems };
}
