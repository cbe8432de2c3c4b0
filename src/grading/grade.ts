/**
 * The rules every lab must meet, judged from check runs: the solution and every variant pass
 * every check; the starter and every mutant fail at least one; there are at least MIN_CHECKS
 * checks, each with a hint. Violations are sentences naming the lab (and the folder) to fix.
 * Pure: cli.ts runs the trees, this file only judges what came back.
 */
import type { Alternative } from '../sandbox/alternatives.ts';
import type { CheckResult } from '../sandbox/check-results.ts';
import type { Files, Lab } from '../sandbox/types.ts';
import type { CheckRun } from './run-checks.ts';

export const MIN_CHECKS = 3;

export type TreeKind = 'solution' | 'starter' | 'mutant' | 'variant';

/** One set of learner files to grade. */
export interface GradeTree {
  kind: TreeKind;
  /** `solution`, `starter`, or the mutant's / variant's folder name. */
  name: string;
  learner: Files;
}

export interface RunSummary {
  passed: number;
  total: number;
  timedOut: boolean;
}

/** How one lab fared on one Node line. */
export interface LineReport {
  node: string;
  checks: number;
  solution: RunSummary | null;
  starter: RunSummary | null;
  mutants: { caught: number; total: number };
  variants: { passing: number; total: number };
  /** Sum of the runs' own times (they run in parallel, so not wall time). */
  ms: number;
  violations: string[];
}

export interface GradeReport {
  id: string;
  lines: LineReport[];
  violations: string[];
}

/** The trees to grade for a lab; `kinds` narrows them (an author iterating on mutants). */
export function treesOf(
  lab: Lab,
  alternatives: readonly Alternative[],
  kinds: ReadonlySet<TreeKind>,
): GradeTree[] {
  const trees: GradeTree[] = [
    { kind: 'solution', name: 'solution', learner: lab.solution },
    { kind: 'starter', name: 'starter', learner: lab.starter },
    ...alternatives.map((alt): GradeTree => ({
      kind: alt.kind === 'mutants' ? 'mutant' : 'variant',
      name: alt.name,
      learner: alt.learner,
    })),
  ];
  return trees.filter((tree) => kinds.has(tree.kind));
}

function where(id: string, tree: GradeTree): string {
  if (tree.kind === 'solution' || tree.kind === 'starter') return `the ${tree.kind}`;
  return `sandboxes/${id}/${tree.kind}s/${tree.name}/`;
}

function summarize(run: CheckRun): RunSummary {
  return {
    passed: run.results.filter((r) => r.status === 'pass').length,
    total: run.results.length,
    timedOut: run.timedOut,
  };
}

function describeFailures(results: readonly CheckResult[]): string {
  return results
    .filter((r) => r.status !== 'pass')
    .map((r) => `\n    ✗ ${r.title} [${r.status}] ${r.message.split('\n')[0] ?? ''}`)
    .join('');
}

function brokenRun(run: CheckRun): string | null {
  if (run.stoppedEarly) return null;
  if (run.timedOut) return 'hit the deadline and was stopped';
  if (run.summary === null) {
    const tail = run.output.trim().split('\n').slice(-6).join('\n    ');
    return `ended without a summary (exit code ${run.exitCode})${tail ? `:\n    ${tail}` : ''}`;
  }
  return null;
}

/** Judges every tree's run on one Node line. `runs` pairs with `trees` by index. */
export function judgeLine(
  id: string,
  node: string,
  trees: readonly GradeTree[],
  runs: readonly CheckRun[],
): LineReport {
  const report: LineReport = {
    node,
    checks: 0,
    solution: null,
    starter: null,
    mutants: { caught: 0, total: 0 },
    variants: { passing: 0, total: 0 },
    ms: 0,
    violations: [],
  };
  const problem = (text: string) => report.violations.push(`${id} (Node ${node}): ${text}`);
  trees.forEach((tree, index) => {
    const run = runs[index];
    if (run === undefined) return;
    report.ms += run.ms;
    const failing = run.results.filter((r) => r.status !== 'pass');
    const broken = brokenRun(run);
    if (tree.kind === 'mutant') report.mutants.total += 1;
    if (tree.kind === 'variant') report.variants.total += 1;
    if (broken !== null) {
      problem(`the run of ${where(id, tree)} ${broken}`);
      return;
    }
    switch (tree.kind) {
      case 'solution':
        report.solution = summarize(run);
        report.checks = run.results.length;
        if (failing.length > 0) {
          problem(`the solution fails ${failing.length} check(s):${describeFailures(failing)}`);
        }
        break;
      case 'starter':
        report.starter = summarize(run);
        if (failing.length === 0)
          problem('the starter passes every check; it must fail at least one');
        break;
      case 'mutant':
        if (failing.length > 0) report.mutants.caught += 1;
        else problem(`${where(id, tree)} passes every check; some check must catch this mistake`);
        break;
      case 'variant':
        if (failing.length === 0) report.variants.passing += 1;
        else {
          problem(
            `${where(id, tree)} is a correct answer but fails ${failing.length} check(s):${describeFailures(failing)}`,
          );
        }
        break;
    }
  });
  return report;
}

/** Rules about the checks themselves, read from the solution's run: count, unique names, hints. */
export function checkRules(lab: Lab, solutionRun: CheckRun): string[] {
  const { id, manifest } = lab;
  const problems: string[] = [];
  if (solutionRun.summary === null) return problems;
  const titles = solutionRun.results.map((r) => r.title);
  if (titles.length < MIN_CHECKS) {
    problems.push(`${id}: has ${titles.length} check(s); at least ${MIN_CHECKS} are required`);
  }
  for (const title of new Set(titles.filter((t, i) => titles.indexOf(t) !== i))) {
    problems.push(
      `${id}: two checks are named "${title}" (names must be unique; hints are keyed by them)`,
    );
  }
  for (const title of titles) {
    if (manifest.hints[title] === undefined) {
      problems.push(`${id}: sandbox.json has no hint for the check "${title}"`);
    }
  }
  for (const hinted of Object.keys(manifest.hints)) {
    if (!titles.includes(hinted)) {
      problems.push(`${id}: sandbox.json has a hint for "${hinted}", but no check has that name`);
    }
  }
  return problems;
}
