/**
 * How long `npm run grade` takes at the course's full size, before the labs have their mutants.
 * Copies sandboxes/ to a temp folder, pads every lab to `--trees` trees (solution, starter, then
 * mutants made of the starter's files and variants made of the solution's), repeats the labs until
 * there are `--labs` of them, and runs the grader on both Node lines, printing its table and time.
 *
 *   npm run bench:grade -- [--labs 18] [--trees 10] [--jobs <n>] [--node both|current|22]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listLabIds, readLab } from '../src/sandbox/load.ts';
import type { Files } from '../src/sandbox/types.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    labs: { type: 'string', default: '18' },
    trees: { type: 'string', default: '10' },
    jobs: { type: 'string' },
    node: { type: 'string', default: 'both' },
  },
});
const labCount = Number(values.labs);
const treeCount = Number(values.trees);

function writeFiles(dir: string, files: Files, why: string): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'WHY'), `${why}\n`);
}

const work = mkdtempSync(join(tmpdir(), 'svs-grade-bench-'));
try {
  const sandboxes = join(work, 'sandboxes');
  cpSync(join(root, 'sandboxes', '_kit'), join(sandboxes, '_kit'), { recursive: true });
  const ids = listLabIds();
  for (let n = 0; n < labCount; n++) {
    const id = ids[n % ids.length] as string;
    const copy = n < ids.length ? id : `${id}-${Math.floor(n / ids.length) + 1}`;
    cpSync(join(root, 'sandboxes', id), join(sandboxes, copy), {
      recursive: true,
      filter: (src) => !/[\\/](mutants|variants)([\\/]|$)/.test(src),
    });
    const lab = readLab(id);
    const extra = Math.max(0, treeCount - 2);
    for (let t = 0; t < extra; t++) {
      const mutant = t % 2 === 0;
      const kind = mutant ? 'mutants' : 'variants';
      const files = mutant ? lab.starter : lab.solution;
      writeFiles(
        join(sandboxes, copy, kind, `copy-${t}`),
        files,
        `A copy of the ${mutant ? 'starter' : 'solution'}.`,
      );
    }
  }
  console.log(`${labCount} labs × ${treeCount} trees, Node line(s): ${values.node}`);
  const args = ['src/grading/cli.ts', '--root', sandboxes, '--node', values.node];
  if (values.jobs !== undefined) args.push('--jobs', values.jobs);
  const started = Date.now();
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), args, { cwd: root, stdio: 'inherit' });
  console.log(
    `wall time including startup: ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${run.status})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
