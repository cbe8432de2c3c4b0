import { describe, expect, it } from 'vitest';
import { lastCheckLabel, savedLabel } from '../../../../src/client/workspace/kept-work-text.ts';
import { emptyProgress } from '../../../../src/utils/progress.ts';

const now = new Date('2026-03-10T12:00:00Z');

describe('labels for kept work', () => {
  it('says the file is the learner’s and when it was saved', () => {
    expect(savedLabel('2026-03-10T11:55:00Z', now)).toBe(
      'Your version (not the starter), saved 5 minutes ago',
    );
    expect(savedLabel(null, now)).toBe('Your version (not the starter)');
  });

  it('says nothing about checks before the first run', () => {
    expect(lastCheckLabel(emptyProgress(), now)).toBeNull();
  });

  it('gives the last run’s count, its age and whether it all passed', () => {
    const progress = {
      ...emptyProgress(),
      passedChecks: ['a', 'b', 'c'],
      totalChecks: 6,
      checkedAt: '2026-03-10T10:00:00Z',
    };
    expect(lastCheckLabel(progress, now)).toEqual({
      text: 'Last check: 3 of 6 pass, 2 hours ago',
      state: 'fail',
    });
    expect(
      lastCheckLabel({ ...progress, passedChecks: ['a'], totalChecks: 1, checkedAt: null }, now),
    ).toEqual({ text: 'Last check: 1 of 1 pass', state: 'pass' });
  });
});
