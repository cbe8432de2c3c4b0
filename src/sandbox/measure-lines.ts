/**
 * Measurement lines: `@@svs-measure {json}`, a number the learner's code produced, stored in the
 * browser next to the course's reference number. Like events they carry no nonce: a learner who
 * prints a fake one only fools themselves.
 */
import { MEASURE_MARKER } from './protocol.ts';
import { createLineSplitter, parseJsonObject } from './output-lines.ts';

export interface Measurement {
  id: string;
  value: number;
  unit: string;
}

const MEASURE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function isMeasureLine(line: string): boolean {
  return line.startsWith(`${MEASURE_MARKER} `);
}

/** Parses one complete line; null unless it is a well-formed measurement line. */
export function parseMeasureLine(line: string): Measurement | null {
  const trimmed = line.replace(/\r$/, '');
  if (!isMeasureLine(trimmed)) return null;
  const data = parseJsonObject(trimmed.slice(MEASURE_MARKER.length + 1));
  if (data === null) return null;
  const { id, value, unit } = data;
  if (typeof id !== 'string' || !MEASURE_ID.test(id)) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (typeof unit !== 'string' || unit === '' || unit.length > 32) return null;
  return { id, value, unit };
}

/** Every measurement in a chunked stream (a Check run's output). */
export function createMeasureParser(): {
  push(chunk: string): Measurement[];
  end(): Measurement[];
} {
  const lines = createLineSplitter();
  const parseAll = (complete: string[]): Measurement[] =>
    complete.flatMap((line) => {
      const parsed = parseMeasureLine(line);
      return parsed === null ? [] : [parsed];
    });
  return { push: (chunk) => parseAll(lines.push(chunk)), end: () => parseAll(lines.end()) };
}
