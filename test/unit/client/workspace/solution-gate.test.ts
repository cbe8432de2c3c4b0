import { describe, expect, it } from 'vitest';
import { nudgeText, unopenedHints } from '../../../../src/client/workspace/solution-gate.ts';

const hints = { 'Says hello': 'Look at the status code.', 'Counts visits': 'Keep a counter.' };

describe('hints offered before the solution', () => {
  it('offers the hints of checks that did not pass and were not opened, in lab order', () => {
    expect(unopenedHints(hints, [], new Set())).toEqual(['Says hello', 'Counts visits']);
    expect(unopenedHints(hints, ['Says hello'], new Set())).toEqual(['Counts visits']);
    expect(unopenedHints(hints, [], new Set(['Counts visits']))).toEqual(['Says hello']);
  });

  it('offers nothing once every relevant hint was read', () => {
    expect(unopenedHints(hints, ['Says hello'], new Set(['Counts visits']))).toEqual([]);
  });

  it('counts the unread hints in the nudge', () => {
    expect(nudgeText(2, false)).toBe(
      "You haven't opened 2 hints yet. The first may be all you need.",
    );
    expect(nudgeText(1, false)).toBe("You haven't opened 1 hint yet. It may be all you need.");
  });

  it('counts what is left once the learner has read some', () => {
    expect(nudgeText(3, true)).toBe('3 more hints left.');
    expect(nudgeText(1, true)).toBe('1 more hint left.');
  });
});
