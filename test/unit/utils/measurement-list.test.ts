import { describe, expect, it } from 'vitest';
import {
  describeMeasurement,
  MEASURE_PREFIX,
  parseMeasurements,
  readLearnerMeasurements,
  referenceMeasurements,
} from '../../../src/utils/measurement-list.ts';

const storageWith = (entries: Record<string, string>) => ({
  getItem: (key: string) => entries[key] ?? null,
});

describe('learner measurements', () => {
  it('reads a map of id to value and unit', () => {
    const storage = storageWith({
      [`${MEASURE_PREFIX}load-balancing`]: JSON.stringify({
        moved: { value: 24, unit: '%', at: '2026-11-30T10:00:00Z' },
      }),
    });
    expect(readLearnerMeasurements(storage, 'load-balancing')).toEqual([
      { id: 'moved', value: 24, unit: '%' },
    ]);
  });

  it('reads a list of entries that name their id', () => {
    expect(parseMeasurements([{ id: 'p50', value: 3.25, unit: 'ms' }, { id: 'x' }])).toEqual([
      { id: 'p50', value: 3.25, unit: 'ms' },
    ]);
  });

  it('treats corrupt or foreign data as not measured', () => {
    for (const raw of [
      '{not json',
      '"text"',
      '42',
      'null',
      JSON.stringify({ a: { value: 'x' } }),
    ]) {
      const storage = storageWith({ [`${MEASURE_PREFIX}caching`]: raw });
      expect(readLearnerMeasurements(storage, 'caching')).toEqual([]);
    }
  });

  it('survives a storage that throws', () => {
    const storage = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    expect(readLearnerMeasurements(storage, 'caching')).toEqual([]);
  });
});

describe('reference measurements', () => {
  it('finds numbers grouped by lesson slug, with or without a wrapper', () => {
    const grouped = { 'fault-tolerance': { 'sessions-lost': { value: 2, unit: 'of 6' } } };
    expect(referenceMeasurements(grouped, 'fault-tolerance')).toEqual([
      { id: 'sessions-lost', value: 2, unit: 'of 6' },
    ]);
    expect(referenceMeasurements({ lessons: grouped }, 'fault-tolerance')).toHaveLength(1);
  });

  it('finds numbers in a flat list by their lesson field', () => {
    const flat = [
      { id: 'hit-ratio', lesson: 'caching', value: 0.9, unit: '' },
      { id: 'p50', lesson: 'performance', value: 2, unit: 'ms' },
    ];
    expect(referenceMeasurements(flat, 'caching')).toEqual([
      { id: 'hit-ratio', value: 0.9, unit: '' },
    ]);
    expect(referenceMeasurements({ measurements: flat }, 'performance')).toHaveLength(1);
  });

  it('gives nothing for missing data', () => {
    expect(referenceMeasurements(null, 'caching')).toEqual([]);
    expect(referenceMeasurements({}, 'caching')).toEqual([]);
  });

  it('formats a number with its unit', () => {
    expect(describeMeasurement({ id: 'p50-store', value: 3.14159, unit: 'ms' })).toBe(
      'p50 store: 3.1 ms',
    );
    expect(describeMeasurement({ id: 'moved', value: 25, unit: '' })).toBe('moved: 25');
  });

  it('says "1 backend", not "1 backends", and leaves symbols such as ms alone', () => {
    expect(describeMeasurement({ id: 'seen', value: 1, unit: 'backends' })).toBe('seen: 1 backend');
    expect(describeMeasurement({ id: 'seen', value: 4, unit: 'backends' })).toBe(
      'seen: 4 backends',
    );
    expect(describeMeasurement({ id: 'p50', value: 1, unit: 'ms' })).toBe('p50: 1 ms');
  });

  it('reads the bench script’s reference numbers for one lab, before and after the fix', () => {
    const data = {
      numbers: {
        'sessions-lost': { unit: 'sessions', sandbox: 'kill-an-instance', starter: 2, solution: 0 },
        'cart-seen-of-9': { unit: 'requests', sandbox: 'scale-out-cart', starter: 0, solution: 9 },
      },
    };
    expect(referenceMeasurements(data, 'fault-tolerance', 'kill-an-instance')).toEqual([
      { id: 'sessions-lost (before the fix)', value: 2, unit: 'sessions' },
      { id: 'sessions-lost (after)', value: 0, unit: 'sessions' },
    ]);
  });
});
