import { describe, expect, it } from 'vitest';
import { continueTarget, type LessonState } from '../../../src/utils/continue-target.ts';
import { emptyProgress, type LessonProgress } from '../../../src/utils/progress.ts';

const lesson = (
  slug: string,
  extra: Partial<Omit<LessonState, 'progress'>> & { progress?: Partial<LessonProgress> } = {},
): LessonState => ({
  slug,
  title: `Lesson ${slug}`,
  hasLab: true,
  questionIds: [],
  edits: null,
  ...extra,
  progress: { ...emptyProgress(), ...extra.progress },
});
const done = { completedAt: '2026-03-01T10:00:00Z', totalChecks: 2, passedChecks: ['a', 'b'] };

describe('where "Continue" leads', () => {
  it('offers nothing to a learner without progress (the page says "Start the course")', () => {
    expect(continueTarget([lesson('a'), lesson('b')])).toBeNull();
  });

  it('leads to a lab with saved edits that has not passed yet', () => {
    const target = continueTarget([
      lesson('a', { progress: done }),
      lesson('b', { edits: { savedAt: '2026-03-01T10:00:00Z' } }),
      lesson('c'),
    ]);
    expect(target).toEqual({ slug: 'b', title: 'Lesson b', labInProgress: true });
  });

  it('picks the most recently saved of several unfinished labs', () => {
    const target = continueTarget([
      lesson('a', { edits: { savedAt: '2026-03-01T10:00:00Z' } }),
      lesson('b', { edits: { savedAt: '2026-03-02T10:00:00Z' } }),
      lesson('c', { edits: { savedAt: null } }),
    ]);
    expect(target?.slug).toBe('b');
  });

  it('does not call a lab in progress once it has passed, even with edits kept', () => {
    const target = continueTarget([
      lesson('a', { progress: done, edits: { savedAt: '2026-03-01T10:00:00Z' } }),
      lesson('b'),
    ]);
    expect(target).toEqual({ slug: 'b', title: 'Lesson b', labInProgress: false });
  });

  it('leads to the first unfinished lesson after the furthest one touched', () => {
    const target = continueTarget([
      lesson('a'),
      lesson('b', { progress: done }),
      lesson('c', { hasLab: false, questionIds: ['q1', 'q2'], progress: { answered: ['q1'] } }),
      lesson('d'),
    ]);
    expect(target?.slug).toBe('c');
  });

  it('goes back to a skipped lesson when everything after is finished', () => {
    const target = continueTarget([lesson('a'), lesson('b', { progress: done })]);
    expect(target).toEqual({ slug: 'a', title: 'Lesson a', labInProgress: false });
  });

  it('offers nothing once every lesson is finished', () => {
    expect(continueTarget([lesson('a', { progress: done })])).toBeNull();
  });
});
