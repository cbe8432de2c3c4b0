import type { CheckResult } from '../utils/check-results.ts';
import { assembleSandboxTree, kitModulesFor, type SandboxSource } from './assemble.ts';
import { runChecks, type CheckRun } from './run-checks.ts';

/**
 * The rules every lab must meet: the solution passes every check, the starter fails at least one,
 * there are at least MIN_CHECKS checks, and each has a hint. Violations are sentences naming the
 * sandbox and what to fix.
 */

export const MIN_CHECKS = 3;

export interface RunSummary {
  passed: number;
  total: number;
  timedOut: boolean;
}

export interface GradeReport {
  id: string;
  checks: number;
  solution: RunSummary | null;
  starter: RunSummary | null;
  violations: string[];
  ms: number;
}

/** Problems visible without running anything. */
export function staticViolations(sandbox: SandboxSource): string[] {
  const problems: string[] = [];
  const { id, manifest } = sandbox;
  if (Object.keys(sandbox.starter).length === 0)
    problems.push(`${id}: starter/ is missing or empty`);
  if (Object.keys(sandbox.solution).length === 0) {
    problems.push(`${id}: solution/ is missing or empty`);
  }
  if (!Object.keys(sandbox.checks).some((p) => p.endsWith('.test.mjs'))) {
    problems.push(`${id}: checks/ has no *.test.mjs file`);
  }
  for (const module of kitModulesFor(manifest)) {
    if (sandbox.kitSources[module] === undefined) {
      problems.push(
        `${id}: kit module "${module}" is listed but sandboxes/_kit/${module}.mjs does not exist`,
      );
    }
  }
  for (const file of manifest.open) {
    if (sandbox.starter[file] === undefined) {
      problems.push(`${id}: "open" lists ${file}, which is not in starter/`);
    }
  }
  for (const arg of manifest.run.slice(1)) {
    if (!/\.[cm]?js$/.test(arg)) continue;
    if (arg.startsWith('_kit/')) {
      const module = arg.slice('_kit/'.length).replace(/\.mjs$/, '');
      if (!kitModulesFor(manifest).includes(module)) {
        problems.push(`${id}: "run" uses ${arg} but "kit" does not list "${module}"`);
      }
    } else if (sandbox.starter[arg] === undefined) {
      problems.push(`${id}: "run" starts ${arg}, which is not in starter/`);
    }
  }
  return problems;
}

function summarizeRun(run: CheckRun): RunSummary {
  return {
    passed: run.results.filter((r) => r.status === 'pass').length,
    total: run.results.length,
    timedOut: run.timedOut,
  };
}

function describeFailures(results: CheckResult[]): string {
  return results
    .filter((r) => r.status !== 'pass')
    .map((r) => `\n    ✗ ${r.title} [${r.status}] ${r.message.split('\n')[0] ?? ''}`)
    .join('');
}

function brokenRun(id: string, variant: string, run: CheckRun): string | null {
  if (run.timedOut) return `${id}: the ${variant} run hit the deadline and was stopped`;
  if (run.summary === null) {
    const tail = run.output.trim().split('\n').slice(-6).join('\n    ');
    return `${id}: the ${variant} run ended without a summary (exit code ${run.exitCode})${tail ? `:\n    ${tail}` : ''}`;
  }
  return null;
}

export async function gradeSandbox(
  sandbox: SandboxSource,
  { deadlineMs = 60_000 }: { deadlineMs?: number } = {},
): Promise<GradeReport> {
  const started = Date.now();
  const { id, manifest } = sandbox;
  const violations = staticViolations(sandbox);
  if (violations.length > 0) {
    return { id, checks: 0, solution: null, starter: null, violations, ms: Date.now() - started };
  }

  const solutionRun = await runChecks(assembleSandboxTree(sandbox, 'solution'), { deadlineMs });
  const starterRun = await runChecks(assembleSandboxTree(sandbox, 'starter'), { deadlineMs });

  for (const [variant, run] of [
    ['solution', solutionRun],
    ['starter', starterRun],
  ] as const) {
    const broken = brokenRun(id, variant, run);
    if (broken) violations.push(broken);
  }

  const titles = solutionRun.results.map((r) => r.title);
  if (titles.length < MIN_CHECKS) {
    violations.push(`${id}: has ${titles.length} check(s); at least ${MIN_CHECKS} are required`);
  }
  const duplicates = titles.filter((t, i) => titles.indexOf(t) !== i);
  for (const title of new Set(duplicates)) {
    violations.push(
      `${id}: two checks are named "${title}" (names must be unique; hints are keyed by them)`,
    );
  }
  const failing = solutionRun.results.filter((r) => r.status !== 'pass');
  if (failing.length > 0) {
    violations.push(
      `${id}: the solution fails ${failing.length} check(s):${describeFailures(failing)}`,
    );
  }
  if (starterRun.summary !== null && starterRun.results.every((r) => r.status === 'pass')) {
    violations.push(`${id}: the starter passes every check; it must fail at least one`);
  }
  for (const title of titles) {
    if (manifest.hints[title] === undefined) {
      violations.push(`${id}: sandbox.json has no hint for the check "${title}"`);
    }
  }
  for (const hinted of Object.keys(manifest.hints)) {
    if (!titles.includes(hinted)) {
      violations.push(`${id}: sandbox.json has a hint for "${hinted}", but no check has that name`);
    }
  }

  return {
    id,
    checks: titles.length,
    solution: summarizeRun(solutionRun),
    starter: summarizeRun(starterRun),
    violations,
    ms: Date.now() - started,
  };
}

function describeRun(run: RunSummary | null): string {
  if (run === null) return '—';
  return `${run.passed}/${run.total} pass${run.timedOut ? ' (deadline)' : ''}`;
}

/** A plain-text table: sandbox, checks, solution result, starter result, time, verdict. */
export function formatTable(reports: readonly GradeReport[]): string {
  const header = ['sandbox', 'checks', 'solution', 'starter', 'time', 'ok'];
  const rows = reports.map((r) => [
    r.id,
    String(r.checks),
    describeRun(r.solution),
    describeRun(r.starter),
    `${(r.ms / 1000).toFixed(1)} s`,
    r.violations.length === 0 ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [header, widths.map((w) => '-'.repeat(w)), ...rows]
    .map((cells) => format(cells).trimEnd())
    .join('\n');
}
