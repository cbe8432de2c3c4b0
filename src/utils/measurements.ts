/**
 * The learner's own measurements (sessions lost, p50 per mode, hit ratio…), kept in the browser
 * next to progress. One localStorage entry per lesson under a versioned key:
 *
 *   svs:measure:v1:<lesson-slug>  ->  {"sessions-lost":{"value":2,"unit":"sessions","at":"2026-…Z"}}
 *
 * A corrupt entry, or a corrupt row inside one, reads as "not measured yet" and is never thrown at
 * the page. Isomorphic: the storage is passed in.
 */
import type { Measurement } from '../sandbox/check-results.ts';
import type { KeyValueStorage } from './progress.ts';

export const MEASURE_PREFIX = 'svs:measure:v1:';
/** Fired on `window` when a measurement is recorded, so <Measurement> updates without a reload. */
export const MEASURE_EVENT = 'svs:measure';

export interface RecordedMeasurement {
  value: number;
  unit: string;
  /** ISO date of the run that produced it. */
  at: string;
}

export type LessonMeasurements = Record<string, RecordedMeasurement>;

function parseRow(value: unknown): RecordedMeasurement | null {
  if (typeof value !== 'object' || value === null) return null;
  const { value: v, unit, at } = value as Record<string, unknown>;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (typeof unit !== 'string' || unit === '' || unit.length > 32) return null;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return null;
  return { value: v, unit, at };
}

export function readMeasurements(
  storage: Pick<KeyValueStorage, 'getItem'>,
  lessonSlug: string,
): LessonMeasurements {
  let raw: string | null;
  try {
    raw = storage.getItem(MEASURE_PREFIX + lessonSlug);
  } catch {
    return {};
  }
  if (raw === null) return {};
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  const rows: LessonMeasurements = {};
  for (const [id, value] of Object.entries(data)) {
    const row = parseRow(value);
    if (row !== null) rows[id] = row;
  }
  return rows;
}

export function readMeasurement(
  storage: KeyValueStorage,
  lessonSlug: string,
  id: string,
): RecordedMeasurement | null {
  const rows = readMeasurements(storage, lessonSlug);
  return Object.hasOwn(rows, id) ? (rows[id] ?? null) : null;
}

/** Stores the latest value of each measurement (a new run replaces the old number). */
export function recordMeasurement(
  storage: KeyValueStorage,
  lessonSlug: string,
  measurement: Measurement,
  now: Date = new Date(),
): void {
  const rows = readMeasurements(storage, lessonSlug);
  rows[measurement.id] = {
    value: measurement.value,
    unit: measurement.unit,
    at: now.toISOString(),
  };
  try {
    storage.setItem(MEASURE_PREFIX + lessonSlug, JSON.stringify(rows));
  } catch {
    /* quota or private mode: a measurement is a nicety, never a reason to break the page */
  }
}

/** "2 sessions", "3.4 ms", "0.67 ratio": at most 3 significant digits, no trailing zeros. */
/**
 * Units are stored as plural words ("backends"), and "1 backends" reads as a typo. Two-letter
 * symbols such as "ms" are left alone.
 */
export function unitFor(value: number, unit: string): string {
  return value === 1 && /^[a-z]{2,}s$/.test(unit) ? unit.slice(0, -1) : unit;
}

export function formatMeasurement(value: number, unit: string): string {
  const shown = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
  return `${shown} ${unitFor(value, unit)}`;
}
