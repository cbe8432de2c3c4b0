import { describe, expect, it } from 'vitest';
import { timeAgo } from '../../../src/utils/time-ago.ts';

const now = new Date('2026-03-10T12:00:00Z');
const before = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('how long ago, in words', () => {
  it.each([
    [10, 'just now'],
    [59, 'just now'],
    [60, '1 minute ago'],
    [5 * 60 + 30, '5 minutes ago'],
    [2 * 3600 + 59 * 60, '2 hours ago'],
    [86_400 + 3600, 'yesterday'],
    [3 * 86_400, '3 days ago'],
    [15 * 86_400, '2 weeks ago'],
    [400 * 86_400, 'last year'],
  ])('%i s before now reads "%s"', (seconds, words) => {
    expect(timeAgo(before(seconds), now)).toBe(words);
  });

  it('says "just now" for a time in the future or an unreadable one', () => {
    expect(timeAgo(before(-3600), now)).toBe('just now');
    expect(timeAgo(new Date('not a date'), now)).toBe('just now');
  });
});
