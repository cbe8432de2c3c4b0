import { describe, expect, it } from 'vitest';
import { RuntimeError, type RuntimeKind } from '../../../src/runtime/types.ts';
import {
  NoRuntimeAvailableError,
  requestedChoice,
  selectRuntime,
  type SelectionFacts,
} from '../../../src/runtime/select.ts';
import { GestureRequiredError } from '../../../src/runtime/webcontainer/errors.ts';

type Outcome = 'boots' | RuntimeError;

/** A fake "start a backend" that records what was tried. */
function backends(outcomes: Partial<Record<RuntimeKind, Outcome>>) {
  const tried: RuntimeKind[] = [];
  const start = async (kind: RuntimeKind): Promise<string> => {
    tried.push(kind);
    const outcome = outcomes[kind] ?? new RuntimeError('failed', `${kind} not configured`);
    if (outcome === 'boots') return `${kind}-runtime`;
    throw outcome;
  };
  return { start, tried };
}

const timedOut = new RuntimeError('service-unreachable', 'no answer within 20 s');
const runnerDown = new RuntimeError('runner-unreachable', 'runner down');
const facts = (overrides: Partial<SelectionFacts> = {}): SelectionFacts => ({
  search: '',
  stored: null,
  crossOriginIsolated: true,
  ...overrides,
});

describe('auto', () => {
  it('uses WebContainer when the page is isolated and it boots', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(facts(), start);
    expect(selection).toEqual({
      runtime: 'webcontainer-runtime',
      kind: 'webcontainer',
      reason: 'auto-webcontainer',
    });
    expect(tried).toEqual(['webcontainer']);
  });

  it('falls back to local when WebContainer times out, and says why', async () => {
    const { start, tried } = backends({ webcontainer: timedOut, local: 'boots' });
    const selection = await selectRuntime(facts(), start);
    expect(selection.kind).toBe('local');
    expect(selection.reason).toBe('auto-local-after-webcontainer-failed');
    expect(selection.fallbackFrom?.code).toBe('service-unreachable');
    expect(tried).toEqual(['webcontainer', 'local']);
  });

  it('goes straight to local when the page is not cross-origin isolated', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(facts({ crossOriginIsolated: false }), start);
    expect(selection.kind).toBe('local');
    expect(selection.reason).toBe('auto-local-not-isolated');
    expect(tried).toEqual(['local']);
  });

  it('with the local runner down too, rejects with the how-to-run-locally error', async () => {
    const { start } = backends({ webcontainer: timedOut, local: runnerDown });
    const error = await selectRuntime(facts(), start).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRuntimeAvailableError);
    expect((error as NoRuntimeAvailableError).message).toMatch(/npm start/);
    expect((error as NoRuntimeAvailableError).attempts.map((a) => a.code)).toEqual([
      'service-unreachable',
      'runner-unreachable',
    ]);
  });

  it('not isolated and local down: the same how-to-run-locally error', async () => {
    const { start } = backends({ local: runnerDown });
    await expect(
      selectRuntime(facts({ crossOriginIsolated: false }), start),
    ).rejects.toBeInstanceOf(NoRuntimeAvailableError);
  });

  it('on iPhone/iPad with no local runner, asks for the tap that would start WebContainer', async () => {
    const { start } = backends({ webcontainer: new GestureRequiredError(), local: runnerDown });
    await expect(selectRuntime(facts(), start)).rejects.toBeInstanceOf(GestureRequiredError);
  });
});

describe('explicit choices', () => {
  it('?runtime= beats the stored choice', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(
      facts({ search: '?lesson=1&runtime=local', stored: 'webcontainer' }),
      start,
    );
    expect(selection).toMatchObject({ kind: 'local', reason: 'url-override' });
    expect(tried).toEqual(['local']);
  });

  it('the stored choice beats auto, even on an isolated page', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(facts({ stored: 'local' }), start);
    expect(selection).toMatchObject({ kind: 'local', reason: 'stored-choice' });
    expect(tried).toEqual(['local']);
  });

  it('an explicit choice that fails is reported as is, with no silent fallback', async () => {
    const { start, tried } = backends({ webcontainer: timedOut, local: 'boots' });
    await expect(selectRuntime(facts({ search: '?runtime=webcontainer' }), start)).rejects.toBe(
      timedOut,
    );
    expect(tried).toEqual(['webcontainer']);
  });

  it('an invalid stored or URL value is ignored and auto applies', async () => {
    expect(requestedChoice({ search: '?runtime=docker', stored: '{"kind":"local"}' })).toEqual({
      choice: 'auto',
      source: 'default',
    });
    const { start } = backends({ webcontainer: 'boots' });
    const selection = await selectRuntime(facts({ stored: 'LOCAL' }), start);
    expect(selection.reason).toBe('auto-webcontainer');
  });

  it('?runtime=auto overrides a stored choice back to auto', async () => {
    const { start } = backends({ webcontainer: 'boots' });
    const selection = await selectRuntime(
      facts({ search: '?runtime=auto', stored: 'local' }),
      start,
    );
    expect(selection.reason).toBe('auto-webcontainer');
  });
});
