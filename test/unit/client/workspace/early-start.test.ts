import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EARLY_START_CAP_MS,
  heavyPartsGate,
} from '../../../../src/client/workspace/early-start.ts';
import { settleWithin } from '../../../../src/client/workspace/settle-within.ts';

/** After a Run click the editor waits for the preview, but never longer than the cap. */

const isSettled = async (promise: Promise<unknown>) => {
  let settled = false;
  void promise.then(() => (settled = true));
  await vi.advanceTimersByTimeAsync(0);
  return settled;
};

describe('settleWithin', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets the editor in at the cap when the server start hangs', async () => {
    const waiting = settleWithin(new Promise(() => {}), EARLY_START_CAP_MS);
    await vi.advanceTimersByTimeAsync(EARLY_START_CAP_MS - 1);
    expect(await isSettled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await isSettled(waiting)).toBe(true);
  });

  it('lets it in as soon as the start fails, without rejecting', async () => {
    const waiting = settleWithin(Promise.reject(new Error('spawn failed')), EARLY_START_CAP_MS);
    expect(await isSettled(waiting)).toBe(true);
  });
});

describe('heavyPartsGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is open at once when the first touch was not Run', async () => {
    expect(await isSettled(heavyPartsGate(false).ready)).toBe(true);
  });

  it('holds the editor back after a Run click until released', async () => {
    const gate = heavyPartsGate(true);
    expect(await isSettled(gate.ready)).toBe(false);
    gate.release();
    expect(await isSettled(gate.ready)).toBe(true);
  });
});
