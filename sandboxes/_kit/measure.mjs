/**
 * Record one of the learner's own numbers (sessions lost, p50 per mode, hit ratio, …) so the lesson
 * can show it next to the reference number measured when the course was built.
 *
 *   import { measure } from './_kit/measure.mjs';   // from a check: '../_kit/measure.mjs'
 *   measure('sessions-lost', 2, 'sessions');
 *
 * It prints one line, `@@svs-measure {"id":"sessions-lost","value":2,"unit":"sessions"}`, which the
 * page reads from the Run process or from a Check run, hides from the terminal and stores in the
 * browser. `npm run bench:course-numbers` reads the same lines to refresh the reference numbers.
 * Node built-ins only.
 */
import { MEASURE_MARKER } from './protocol.mjs';

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function measure(id, value, unit) {
  if (!ID.test(String(id))) {
    throw new Error(
      `measure(${JSON.stringify(id)}): the id must be lowercase letters, digits and dashes`,
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`measure("${id}", ${String(value)}): the value must be a finite number`);
  }
  if (typeof unit !== 'string' || unit.length === 0 || unit.length > 32) {
    throw new Error(`measure("${id}", ${value}, …): give a unit such as "ms" or "sessions"`);
  }
  process.stdout.write(`${MEASURE_MARKER} ${JSON.stringify({ id, value, unit })}\n`);
}
