/**
 * Measurements as labelled lists, for pages that show many at once (the table, course complete):
 * the learner's own, read through measurements.ts (the one reader of the browser's key), and the
 * course's reference numbers (src/data/course-numbers.json, written by the bench script). Both are
 * tolerant: anything that is not a plausible measurement is skipped, so a missing or corrupt entry
 * shows "not measured yet" and never breaks a page.
 */
import { readMeasurements, unitFor } from './measurements.ts';
import type { KeyValueStorage } from './progress.ts';

export { MEASURE_PREFIX } from './measurements.ts';

export interface Measurement {
  id: string;
  value: number;
  unit: string;
}

function asMeasurement(id: unknown, raw: unknown): Measurement | null {
  if (typeof id !== 'string' || id === '') return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? { id, value: raw, unit: '' } : null;
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const value = r['value'];
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const unit = typeof r['unit'] === 'string' ? r['unit'] : '';
  return { id, value, unit };
}

/** Measurements in any of the shapes we write: a map id -> {value, unit}, or a list of {id, …}. */
export function parseMeasurements(value: unknown): Measurement[] {
  if (Array.isArray(value)) {
    return value
      .map((item) =>
        typeof item === 'object' && item !== null
          ? asMeasurement((item as Record<string, unknown>)['id'], item)
          : null,
      )
      .filter((m): m is Measurement => m !== null);
  }
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  // A wrapper such as { measurements: … } or { numbers: … }.
  for (const key of ['measurements', 'numbers']) {
    if (key in record) return parseMeasurements(record[key]);
  }
  return Object.entries(record)
    .map(([id, raw]) => asMeasurement(id, raw))
    .filter((m): m is Measurement => m !== null);
}

/** The learner's numbers for one lesson, or [] when there are none or they are unreadable. */
export function readLearnerMeasurements(
  storage: Pick<KeyValueStorage, 'getItem'>,
  lessonSlug: string,
): Measurement[] {
  return Object.entries(readMeasurements(storage, lessonSlug)).map(([id, row]) => ({
    id,
    value: row.value,
    unit: row.unit,
  }));
}

/**
 * Reference numbers for one lesson from the course-numbers data: either grouped by lesson slug
 * ({ "<slug>": {…} }) or a flat list whose entries name their `lesson`.
 */
export function referenceMeasurements(
  data: unknown,
  lessonSlug: string,
  sandbox?: string,
): Measurement[] {
  if (typeof data !== 'object' || data === null) return [];
  const record = data as Record<string, unknown>;
  // bench/course-numbers writes { numbers: { <id>: { unit, sandbox, starter, solution } } }:
  // the broken design's number first, then the fixed one.
  const numbers = record['numbers'];
  if (sandbox !== undefined && typeof numbers === 'object' && numbers !== null) {
    return Object.entries(numbers as Record<string, Record<string, unknown>>)
      .filter(([, row]) => row['sandbox'] === sandbox)
      .flatMap(([id, row]) =>
        (['starter', 'solution'] as const).flatMap(
          (tree) =>
            asMeasurement(`${id} (${tree === 'starter' ? 'before the fix' : 'after'})`, {
              value: row[tree],
              unit: row['unit'],
            }) ?? [],
        ),
      );
  }
  const lessons = record['lessons'];
  if (typeof lessons === 'object' && lessons !== null && lessonSlug in lessons) {
    return parseMeasurements((lessons as Record<string, unknown>)[lessonSlug]);
  }
  if (lessonSlug in record) return parseMeasurements(record[lessonSlug]);
  const list = Array.isArray(record['measurements']) ? record['measurements'] : data;
  if (!Array.isArray(list)) return [];
  return parseMeasurements(
    list.filter(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        (item as Record<string, unknown>)['lesson'] === lessonSlug,
    ),
  );
}

/** "12 ms", "3 sessions lost" style text; ids read as words ("p50-store" -> "p50 store"). */
export function describeMeasurement(m: Measurement): string {
  const value = Number.isInteger(m.value) ? String(m.value) : m.value.toFixed(1);
  const label = m.id.replace(/[-_]+/g, ' ');
  const unit = unitFor(m.value, m.unit);
  return `${label}: ${value}${unit ? ` ${unit}` : ''}`;
}
