import { describe, expect, it } from 'vitest';
import {
  allPassed,
  applyCheckResult,
  finishCheckRun,
  passedTitles,
  startCheckRun,
} from '../../../../src/client/workspace/check-run.ts';

const result = (title: string, status: 'pass' | 'fail', message = '') => ({
  id: `checks/a.test.mjs/${title}`,
  title,
  status,
  message,
  durationMs: 3,
});

describe('a check run as the learner sees it', () => {
  it('lists the expected checks as waiting before any result arrives', () => {
    const state = startCheckRun(['Says hello', 'Counts visits']);
    expect(state.rows.map((r) => r.status)).toEqual(['waiting', 'waiting']);
  });

  it('fills rows as results arrive, adding checks it did not expect', () => {
    let state = startCheckRun(['Says hello']);
    state = applyCheckResult(state, result('Says hello', 'fail', 'expected 200, got 500'));
    state = applyCheckResult(state, result('Surprise check', 'pass'));
    expect(state.rows).toEqual([
      { title: 'Says hello', status: 'fail', message: 'expected 200, got 500' },
      { title: 'Surprise check', status: 'pass', message: '' },
    ]);
  });

  it('turns unfinished checks into timeouts when the deadline passes', () => {
    let state = startCheckRun(['A', 'B']);
    state = applyCheckResult(state, result('A', 'pass'));
    state = finishCheckRun(state, { kind: 'deadline', seconds: 30 });
    expect(state.rows[1]?.status).toBe('timeout');
    expect(state.rows[1]?.message).toMatch(/30 s/);
    expect(state.note).toMatch(/stopped/);
    expect(allPassed(state)).toBe(false);
  });

  it('reports a crashed run as errors, not as passes', () => {
    const state = finishCheckRun(startCheckRun(['A']), {
      kind: 'exited',
      code: 1,
      complete: false,
    });
    expect(state.rows[0]?.status).toBe('error');
    expect(allPassed(state)).toBe(false);
  });

  it('drops guessed rows the reporter never mentioned once it says it is done', () => {
    let state = startCheckRun(['A', 'Guessed from source']);
    state = applyCheckResult(state, result('A', 'pass'));
    state = finishCheckRun(state, { kind: 'exited', code: 0, complete: true });
    expect(state.rows.map((r) => r.title)).toEqual(['A']);
    expect(allPassed(state)).toBe(true);
  });

  it('explains a run that reported nothing', () => {
    const state = finishCheckRun(startCheckRun([]), { kind: 'exited', code: 9, complete: false });
    expect(state.note).toMatch(/no results/);
    expect(allPassed(state)).toBe(false);
  });

  it('is complete only when every check passed', () => {
    let state = startCheckRun(['A', 'B']);
    state = applyCheckResult(state, result('A', 'pass'));
    state = applyCheckResult(state, result('B', 'pass'));
    state = finishCheckRun(state, { kind: 'exited', code: 0, complete: true });
    expect(allPassed(state)).toBe(true);
    expect(passedTitles(state)).toEqual(['A', 'B']);
  });
});
