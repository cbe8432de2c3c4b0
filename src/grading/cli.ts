/**
 * npm run grade [id…] [--deadline <seconds>] [--root <sandboxes dir>]
 *
 * Runs every lab's checks in plain Node against solution/ (all must pass) and starter/ (at least
 * one must fail), prints a table, lists every violation and exits non-zero if there is any.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable, gradeSandbox, type GradeReport } from './grade.ts';
import { listSandboxIds, loadSandbox, readKitSources, SandboxLoadError } from './load-sandbox.ts';

const CONCURRENCY = 2;

/** Runs `work` over `items`, at most `limit` at a time, keeping the input order in the output. */
async function mapPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return out;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      deadline: { type: 'string', default: '60' },
      root: { type: 'string', default: 'sandboxes' },
    },
  });
  const sandboxesDir = path.resolve(values.root);
  const deadlineMs = Number(values.deadline) * 1000;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) {
    console.error(`--deadline must be a number of seconds, got "${values.deadline}"`);
    return 2;
  }

  const ids = positionals.length > 0 ? positionals : await listSandboxIds(sandboxesDir);
  if (ids.length === 0) {
    console.error(`No sandboxes found in ${sandboxesDir}`);
    return 1;
  }
  const kitSources = await readKitSources(sandboxesDir);

  const reports = await mapPool(ids, CONCURRENCY, async (id): Promise<GradeReport> => {
    const started = Date.now();
    try {
      const sandbox = await loadSandbox(sandboxesDir, id, kitSources);
      return await gradeSandbox(sandbox, { deadlineMs });
    } catch (error) {
      if (!(error instanceof SandboxLoadError)) throw error;
      const violations = [`${id}: ${error.message}`];
      return { id, checks: 0, solution: null, starter: null, violations, ms: Date.now() - started };
    }
  });

  console.log(formatTable(reports));
  const violations = reports.flatMap((r) => r.violations);
  if (violations.length > 0) {
    console.log(`\n${violations.length} problem(s):`);
    for (const violation of violations) console.log(`  • ${violation}`);
    return 1;
  }
  console.log(`\nAll ${reports.length} sandbox(es) pass.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
