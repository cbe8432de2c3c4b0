import { describe, expect, it } from 'vitest';
import {
  formatMeasurement,
  MEASURE_PREFIX,
  readMeasurement,
  readMeasurements,
  recordMeasurement,
} from '../../../src/utils/measurements.ts';
import { memoryStorage } from '../../helpers/memory-storage.ts';

describe('measurement storage', () => {
  it('keeps the latest value of each measurement with the date of the run', () => {
    const storage = memoryStorage();
    recordMeasurement(
      storage,
      'fault',
      { id: 'sessions-lost', value: 2, unit: 'sessions' },
      new Date('2026-01-02T03:04:05Z'),
    );
    recordMeasurement(
      storage,
      'fault',
      { id: 'sessions-lost', value: 0, unit: 'sessions' },
      new Date('2026-01-03T00:00:00Z'),
    );
    recordMeasurement(storage, 'fault', { id: 'errors', value: 1, unit: 'requests' });
    expect(readMeasurement(storage, 'fault', 'sessions-lost')).toEqual({
      value: 0,
      unit: 'sessions',
      at: '2026-01-03T00:00:00.000Z',
    });
    expect(Object.keys(readMeasurements(storage, 'fault'))).toEqual(['sessions-lost', 'errors']);
    expect(readMeasurement(storage, 'other', 'sessions-lost')).toBeNull();
  });

  it.each([
    ['not JSON', '{oops'],
    ['an array', '[1,2]'],
    ['a number', '42'],
    [
      'a row with a string value',
      '{"sessions-lost":{"value":"2","unit":"sessions","at":"2026-01-01"}}',
    ],
    ['a row with a bad date', '{"sessions-lost":{"value":2,"unit":"sessions","at":"yesterday"}}'],
    ['a row without a unit', '{"sessions-lost":{"value":2,"at":"2026-01-01"}}'],
  ])('reads %s as "not measured yet"', (_, raw) => {
    const storage = memoryStorage();
    storage.setItem(`${MEASURE_PREFIX}fault`, raw);
    expect(readMeasurement(storage, 'fault', 'sessions-lost')).toBeNull();
    // …and a new run still records over it.
    recordMeasurement(storage, 'fault', { id: 'sessions-lost', value: 1, unit: 'sessions' });
    expect(readMeasurement(storage, 'fault', 'sessions-lost')?.value).toBe(1);
  });

  it('keeps the good rows of an entry when one row is corrupt', () => {
    const storage = memoryStorage();
    storage.setItem(
      `${MEASURE_PREFIX}fault`,
      '{"a":{"value":1,"unit":"ms","at":"2026-01-01T00:00:00Z"},"b":null}',
    );
    expect(readMeasurement(storage, 'fault', 'a')?.value).toBe(1);
    expect(readMeasurement(storage, 'fault', 'b')).toBeNull();
  });

  it('never throws when storage is blocked', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
      length: 0,
      key: () => null,
    };
    expect(readMeasurement(blocked, 'fault', 'x')).toBeNull();
    expect(() =>
      recordMeasurement(blocked, 'fault', { id: 'x', value: 1, unit: 'ms' }),
    ).not.toThrow();
  });

  it('formats numbers to at most three significant digits', () => {
    expect(formatMeasurement(2, 'sessions')).toBe('2 sessions');
    expect(formatMeasurement(3.14159, 'ms')).toBe('3.14 ms');
    expect(formatMeasurement(1, 'backends')).toBe('1 backend');
    expect(formatMeasurement(1, 'ms')).toBe('1 ms');
    expect(formatMeasurement(0.6666, 'ratio')).toBe('0.667 ratio');
  });
});
