import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from '../../../../src/client/workspace/debounce.ts';

describe('debounce (restart after the learner pauses typing)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once after a burst of keystrokes', () => {
    const action = vi.fn();
    const restart = debounce(action, 500);
    for (let i = 0; i < 10; i += 1) {
      restart.schedule();
      vi.advanceTimersByTime(100);
    }
    expect(action).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('flush runs a pending action now, and only once', () => {
    const action = vi.fn();
    const restart = debounce(action, 500);
    restart.schedule();
    restart.flush();
    vi.advanceTimersByTime(1000);
    expect(action).toHaveBeenCalledTimes(1);
    restart.flush();
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('cancel drops the pending action', () => {
    const action = vi.fn();
    const restart = debounce(action, 500);
    restart.schedule();
    expect(restart.pending).toBe(true);
    restart.cancel();
    vi.advanceTimersByTime(1000);
    expect(action).not.toHaveBeenCalled();
    expect(restart.pending).toBe(false);
  });
});
