/**
 * Regenerates the course's reference numbers: runs each lab's checks against its solution and its
 * starter (the design the lesson breaks), collects every `@@svs-measure` line they print
 * (sandboxes/_kit/measure.mjs), prints them and writes src/data/course-numbers.json, which the
 * lessons' <Measurement id="…" /> reads. Labs that record nothing are skipped.
 *
 *   npm run bench:course-numbers            every lab
 *   npm run bench:course-numbers -- kill-an-instance cache-the-catalog   only these; others keep
 *                                                                          their previous numbers
 *
 * The numbers depend on the machine (timings especially); the file records the date and Node
 * version. Run it on a quiet machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecks } from '../src/grading/run-checks.ts';
import { mountTree, supportFiles } from '../src/sandbox/assemble.ts';
import { listLabIds, readKitSources, readLab } from '../src/sandbox/load.ts';
import { parseCourseNumbers, type ReferenceNumber } from '../src/utils/course-numbers.ts';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const sandboxesDir = path.join(root, 'sandboxes');
const dataFile = path.join(root, 'src', 'data', 'course-numbers.json');

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const ids = requested.length > 0 ? requested : listLabIds(sandboxesDir);
const previous = parseCourseNumbers(JSON.parse(readFileSync(dataFile, 'utf8')));
const kit = readKitSources(sandboxesDir);

// Entries of labs we re-run are replaced whole; everything else carries over.
const numbers: Record<string, ReferenceNumber> = Object.fromEntries(
  Object.entries(previous.numbers).filter(([, n]) => !ids.includes(n.sandbox)),
);

for (const id of ids) {
  const lab = readLab(id, sandboxesDir, kit);
  const support = supportFiles(lab);
  for (const variant of ['solution', 'starter'] as const) {
    const run = await runChecks(mountTree(lab[variant], support), { deadlineMs: 120_000 });
    for (const { id: measureId, value, unit } of run.measurements) {
      const entry = (numbers[measureId] ??= { unit, sandbox: id });
      if (entry.sandbox !== id) {
        throw new Error(
          `measurement "${measureId}" is recorded by both ${entry.sandbox} and ${id}`,
        );
      }
      entry[variant] = value; // the last value a run printed wins
      console.log(`${id.padEnd(24)} ${variant.padEnd(9)} ${measureId.padEnd(28)} ${value} ${unit}`);
    }
  }
}

const sorted = Object.fromEntries(Object.entries(numbers).sort(([a], [b]) => a.localeCompare(b)));
const data = { generatedAt: new Date().toISOString(), node: process.version, numbers: sorted };
writeFileSync(dataFile, `${JSON.stringify(data, null, 2)}\n`);
console.log(
  `\nWrote ${Object.keys(sorted).length} reference number(s) to ${path.relative(root, dataFile)}`,
);
