import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { withKitImports } from '../../../../src/grading/assemble.ts';
import { runChecks, type CheckRun } from '../../../../src/grading/run-checks.ts';
import type { CheckResult } from '../../../../src/utils/check-results.ts';

const kitDir = path.resolve(import.meta.dirname, '../../../../sandboxes/_kit');
const kit = (name: string) => readFileSync(path.join(kitDir, `${name}.mjs`), 'utf8');

/** Runs check files against learner files with the real kit mounted, as the grade CLI does. */
export async function runKitChecks(
  checks: Record<string, string>,
  learnerFiles: Record<string, string> = {},
  kitModules: string[] = ['check-helpers'],
  { deadlineMs = 25_000 }: { deadlineMs?: number } = {},
): Promise<CheckRun & { byTitle: Map<string, CheckResult> }> {
  const tree: Record<string, string> = { ...learnerFiles, '_kit/reporter.mjs': kit('reporter') };
  const sources = Object.fromEntries(
    readdirSync(kitDir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => [f.slice(0, -4), kit(f.slice(0, -4))]),
  );
  for (const name of withKitImports(kitModules, sources)) tree[`_kit/${name}.mjs`] = kit(name);
  for (const [name, source] of Object.entries(checks)) tree[`checks/${name}`] = source;
  const run = await runChecks(tree, { deadlineMs });
  return { ...run, byTitle: new Map(run.results.map((r) => [r.title, r])) };
}
