import { describe, expect, it } from 'vitest';
import { parseCourseNumbers } from '../../../src/utils/course-numbers.ts';
import shipped from '../../../src/data/course-numbers.json';

describe('course reference numbers', () => {
  it('accepts the shipped data file', () => {
    expect(() => parseCourseNumbers(shipped)).not.toThrow();
  });

  it('names the entry at fault and the command that regenerates the file', () => {
    const bad = {
      generatedAt: 'x',
      node: 'v20',
      numbers: { 'sessions-lost': { unit: 'sessions', sandbox: 'lab', starter: 'two' } },
    };
    expect(() => parseCourseNumbers(bad)).toThrow(/"sessions-lost".*bench:course-numbers/);
    expect(() => parseCourseNumbers(null)).toThrow(/not a JSON object/);
  });
});
