import { describe, expect, it } from 'vitest';
import {
  clearAllProgress,
  isLessonComplete,
  PROGRESS_PREFIX,
  readProgress,
  recordAnswer,
  recordCheckRun,
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
