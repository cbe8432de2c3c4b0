/**
 * npm run grade [id…] [--only solution,starter,mutants,variants] [--node both|current|22]
 *                     [--deadline <seconds>] [--jobs <n>] [--root <sandboxes dir>]
 *
 * Runs every lab's checks in plain Node against its solution and variants (all must pass), its
 * starter and mutants (each must fail at least one), on the running Node and on Node 22, prints a
 * table and the wall time, lists every violation and exits non-zero if there is any.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ALTERNATIVE_KINDS, readAlternatives, type Alternative } from '../sandbox/alternatives.ts';
import { mountTree, supportFiles } from '../sandbox/assemble.ts';
import { SandboxError } from '../sandbox/errors.ts';
import { listLabIds, readKitSources, readLab } from '../sandbox/load.ts';
import type { Lab } from '../sandbox/types.ts';
import {
  checkRules,
  judgeLine,
  treesOf,
  type GradeReport,
  type GradeTree,
  type TreeKind,
} from './grade.ts';
import { node22Binary, NODE22_VERSION } from './node22.ts';
import { runChecks, type CheckRun } from './run-checks.ts';
import { formatTable } from './table.ts';

interface NodeLine {
  label: string;
  binary: string;
}

const KIND_ARGS: Record<string, TreeKind> = {
  solution: 'solution',
  starter: 'starter',
  mutants: 'mutant',
  variants: 'variant',
};

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

function nodeLines(choice: string): NodeLine[] {
  const current = { label: process.version.slice(1), binary: process.execPath };
  if (choice === 'current') return [current];
  const node22 = { label: NODE22_VERSION, binary: node22Binary() };
  if (choice === '22') return [node22];
  if (choice !== 'both')
    throw new SandboxError(`--node must be both, current or 22, got "${choice}"`);
  return current.label === node22.label ? [current] : [current, node22];
}

interface Planned {
  lab: Lab | null;
  trees: GradeTree[];
  violations: string[];
}

function plan(
  sandboxesDir: string,
  kit: Readonly<Record<string, string>>,
  id: string,
  kinds: ReadonlySet<TreeKind>,
): Planned {
  let lab: Lab;
  try {
    lab = readLab(id, sandboxesDir, kit);
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    return { lab: null, trees: [], violations: [`${id}: ${error.message}`] };
  }
  const violations: string[] = [];
  const alternatives: Alternative[] = [];
  for (const kind of ALTERNATIVE_KINDS) {
    const read = readAlternatives(lab, kind, sandboxesDir);
    alternatives.push(...read.alternatives);
    violations.push(...read.problems.map((problem) => `${id}: ${problem}`));
  }
  return { lab, trees: treesOf(lab, alternatives, kinds), violations };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      // Per tree run, and only a guard against a hang: the heaviest lab (write-a-proxy, ~1,500
      // proxied requests) needed over 60 s on two cores shared with two busy loops.
      deadline: { type: 'string', default: '180' },
      root: { type: 'string', default: 'sandboxes' },
      node: { type: 'string', default: 'both' },
      only: { type: 'string', default: 'solution,starter,mutants,variants' },
      // Two per core: a check spends most of its time waiting on timers (session clocks, health
      // intervals, drain deadlines), so one core per tree left the machine four-fifths idle.
      jobs: { type: 'string', default: String(availableParallelism() * 2) },
    },
  });
  const sandboxesDir = path.resolve(values.root);
  const deadlineMs = Number(values.deadline) * 1000;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) {
    console.error(`--deadline must be a number of seconds, got "${values.deadline}"`);
    return 2;
  }
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    console.error(`--jobs must be a whole number of at least 1, got "${values.jobs}"`);
    return 2;
  }
  const kinds = new Set<TreeKind>();
  for (const word of values.only.split(',')) {
    const kind = KIND_ARGS[word.trim()];
    if (kind === undefined) {
      console.error(`--only takes solution, starter, mutants, variants; got "${word}"`);
      return 2;
    }
    kinds.add(kind);
  }

  const started = Date.now();
  const lines = nodeLines(values.node);
  const ids = positionals.length > 0 ? positionals : listLabIds(sandboxesDir);
  if (ids.length === 0) {
    console.error(`No sandboxes found in ${sandboxesDir}`);
    return 1;
  }

  const kit = readKitSources(sandboxesDir);
  const plans = ids.map((id) => plan(sandboxesDir, kit, id, kinds));
  // One job per lab × Node line × tree, so two cores stay busy even when labs differ in size.
  const work = plans.flatMap((p, labIndex) =>
    p.lab === null
      ? []
      : lines.flatMap((line, lineIndex) =>
          p.trees.map((tree, treeIndex) => ({
            lab: p.lab as Lab,
            labIndex,
            line,
            lineIndex,
            tree,
            treeIndex,
          })),
        ),
  );
  const supports = new Map(plans.flatMap((p) => (p.lab ? [[p.lab.id, supportFiles(p.lab)]] : [])));
  const runs = await mapPool(work, jobs, (job) =>
    runChecks(mountTree(job.tree.learner, supports.get(job.lab.id) ?? {}), {
      deadlineMs,
      nodeBinary: job.line.binary,
      stopAtFirstFailure: job.tree.kind === 'mutant',
    }),
  );

  const reports: GradeReport[] = plans.map((p, labIndex) => {
    const id = ids[labIndex] ?? '';
    if (p.lab === null) return { id, lines: [], violations: p.violations };
    const lab = p.lab;
    const lineReports = lines.map((line, lineIndex) => {
      const mine = work.flatMap((job, i) =>
        job.labIndex === labIndex && job.lineIndex === lineIndex ? [runs[i] as CheckRun] : [],
      );
      return judgeLine(id, line.label, p.trees, mine);
    });
    const firstSolution = work.findIndex(
      (job) => job.labIndex === labIndex && job.lineIndex === 0 && job.tree.kind === 'solution',
    );
    const rules = firstSolution >= 0 ? checkRules(lab, runs[firstSolution] as CheckRun) : [];
    return { id, lines: lineReports, violations: [...p.violations, ...rules] };
  });

  console.log(formatTable(reports));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\nGraded ${work.length} tree run(s) of ${ids.length} lab(s) on Node ${lines.map((l) => l.label).join(' and ')} in ${seconds} s, ${jobs} at a time.`,
  );
  const violations = reports.flatMap((r) => [
    ...r.violations,
    ...r.lines.flatMap((l) => l.violations),
  ]);
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
    console.error(error instanceof SandboxError ? error.message : error);
    process.exitCode = 1;
  },
);
