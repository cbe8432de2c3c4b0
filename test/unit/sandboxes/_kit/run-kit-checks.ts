import path from 'node:path';
import { runChecks, type CheckRun } from '../../../../src/grading/run-checks.ts';
import { mountTree, supportFiles } from '../../../../src/sandbox/assemble.ts';
import type { CheckResult } from '../../../../src/sandbox/check-results.ts';
import { readKitSources } from '../../../../src/sandbox/load.ts';
import { sandboxSchema } from '../../../../src/schemas/sandbox.ts';

const sandboxesDir = path.resolve(import.meta.dirname, '../../../../sandboxes');

/** Runs check files against learner files with the real kit mounted, as the grade CLI does. */
export async function runKitChecks(
  checks: Record<string, string>,
  learnerFiles: Record<string, string> = {},
  kitModules: string[] = ['check-helpers'],
  { deadlineMs = 25_000 }: { deadlineMs?: number } = {},
): Promise<CheckRun & { byTitle: Map<string, CheckResult> }> {
  const manifest = sandboxSchema.parse({
    title: 'A kit test',
    run: ['node', 'server.js'],
    open: ['server.js'],
    kit: kitModules,
    hints: {},
  });
  const lab = {
    id: 'kit-test',
    manifest,
    starter: learnerFiles,
    solution: learnerFiles,
    checks: Object.fromEntries(
      Object.entries(checks).map(([name, src]) => [`checks/${name}`, src]),
    ),
    kitSources: readKitSources(sandboxesDir),
  };
  const run = await runChecks(mountTree(learnerFiles, supportFiles(lab)), { deadlineMs });
  return { ...run, byTitle: new Map(run.results.map((r) => [r.title, r])) };
}
