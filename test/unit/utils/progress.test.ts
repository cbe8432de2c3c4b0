import { describe, expect, it } from 'vitest';
import {
  clearAllProgress,
  emptyProgress,
  isLessonComplete,
  lessonOutcome,
  PROGRESS_PREFIX,
  readProgress,
  recordAnswer,
  recordCheckRun,
  recordSolutionShown,
} from '../../../src/utils/progress.ts';
import { memoryStorage } from '../../helpers/memory-storage.ts';

describe('progress storage', () => {
  it('completes a lab lesson when every check passes, and keeps it complete', () => {
    const storage = memoryStorage();
    recordCheckRun(storage, 'lab', ['a'], 2);
    expect(isLessonComplete(readProgress(storage, 'lab'), { hasLab: true, questionIds: [] })).toBe(
      false,
    );
    recordCheckRun(storage, 'lab', ['a', 'b'], 2);
    recordCheckRun(storage, 'lab', ['a'], 2);
    const progress = readProgress(storage, 'lab');
    expect(progress.passedChecks).toEqual(['a']);
    expect(isLessonComplete(progress, { hasLab: true, questionIds: [] })).toBe(true);
  });

  it('completes a lesson without a lab when all its questions are answered', () => {
    const storage = memoryStorage();
    const lesson = { hasLab: false, questionIds: ['q1', 'q2'] };
    recordAnswer(storage, 'read', 'q1');
    recordAnswer(storage, 'read', 'q1');
    expect(readProgress(storage, 'read').answered).toEqual(['q1']);
    expect(isLessonComplete(readProgress(storage, 'read'), lesson)).toBe(false);
    recordAnswer(storage, 'read', 'q2');
    expect(isLessonComplete(readProgress(storage, 'read'), lesson)).toBe(true);
  });

  it.each([
    ['not JSON', '{oops'],
    ['a foreign shape', JSON.stringify({ done: true })],
    [
      'wrong types',
      JSON.stringify({ passedChecks: 'a', totalChecks: 1, answered: [], completedAt: null }),
    ],
    ['null', 'null'],
  ])('discards %s for that lesson only', (_label, raw) => {
    const good = JSON.stringify({
      passedChecks: ['x'],
      totalChecks: 1,
      answered: [],
      completedAt: '2026-01-01T00:00:00.000Z',
    });
    const storage = memoryStorage({
      [`${PROGRESS_PREFIX}bad`]: raw,
      [`${PROGRESS_PREFIX}good`]: good,
    });
    expect(readProgress(storage, 'bad').passedChecks).toEqual([]);
    expect(storage.entries.has(`${PROGRESS_PREFIX}bad`)).toBe(false);
    expect(readProgress(storage, 'good').completedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('resets every lesson but leaves unrelated keys alone', () => {
    const storage = memoryStorage({ 'svs:theme': 'dark' });
    recordAnswer(storage, 'a', 'q');
    recordCheckRun(storage, 'b', ['c'], 1);
    clearAllProgress(storage);
    expect([...storage.entries.keys()]).toEqual(['svs:theme']);
  });
});

describe('when a check ran, and how a lesson was finished', () => {
  const lab = { hasLab: true, questionIds: [] };

  it('dates every check run, and reads entries written before runs were dated', () => {
    const storage = memoryStorage({
      [`${PROGRESS_PREFIX}old`]: JSON.stringify({
        passedChecks: ['a'],
        totalChecks: 2,
        answered: [],
        completedAt: null,
      }),
    });
    expect(readProgress(storage, 'old')).toMatchObject({ totalChecks: 2, checkedAt: null });
    recordCheckRun(storage, 'old', ['a', 'b'], 2, new Date('2026-03-01T10:00:00Z'));
    expect(readProgress(storage, 'old').checkedAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('drops an entry whose check time is not text', () => {
    const storage = memoryStorage({
      [`${PROGRESS_PREFIX}bad`]: JSON.stringify({ ...emptyProgress(), checkedAt: 5 }),
    });
    expect(readProgress(storage, 'bad')).toEqual(emptyProgress());
    expect(storage.entries.size).toBe(0);
  });

  it('tells solved alone, finished after opening the solution, and not finished apart', () => {
    const storage = memoryStorage();
    expect(lessonOutcome(readProgress(storage, 'l'), lab)).toBe('open');
    recordSolutionShown(storage, 'l', new Date('2026-03-01T10:00:00Z'));
    expect(lessonOutcome(readProgress(storage, 'l'), lab)).toBe('open');
    recordCheckRun(storage, 'l', ['a'], 1, new Date('2026-03-01T10:05:00Z'));
    expect(lessonOutcome(readProgress(storage, 'l'), lab)).toBe('with-solution');
    recordCheckRun(storage, 'alone', ['a'], 1);
    expect(lessonOutcome(readProgress(storage, 'alone'), lab)).toBe('alone');
  });

  it('keeps a lab solved alone as solved alone when the learner looks at the solution afterwards', () => {
    const storage = memoryStorage();
    recordCheckRun(storage, 'l', ['a'], 1, new Date('2026-03-01T10:00:00Z'));
    recordSolutionShown(storage, 'l', new Date('2026-03-01T11:00:00Z'));
    expect(lessonOutcome(readProgress(storage, 'l'), lab)).toBe('alone');
  });

  it('never marks a lesson without a lab as finished with a solution', () => {
    const progress = {
      ...emptyProgress(),
      answered: ['q'],
      solutionShownAt: '2026-01-01T00:00:00Z',
    };
    expect(lessonOutcome(progress, { hasLab: false, questionIds: ['q'] })).toBe('alone');
  });
});
