import { describe, expect, it } from 'vitest';
import { RuntimeError, type RuntimeKind } from '../../../src/runtime/types.ts';
import {
  NoRuntimeAvailableError,
  requestedChoice,
  selectRuntime,
  type SelectionFacts,
} from '../../../src/runtime/select.ts';

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
  it('under npm start the local runner answers, and WebContainer is never tried', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(facts(), start);
    expect(selection).toEqual({ runtime: 'local-runtime', kind: 'local', reason: 'auto-local' });
    expect(tried).toEqual(['local']);
  });

  it('on a static host (no runner) it uses WebContainer', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: runnerDown });
    const selection = await selectRuntime(facts(), start);
    expect(selection).toMatchObject({ kind: 'webcontainer', reason: 'auto-webcontainer' });
    expect(tried).toEqual(['local', 'webcontainer']);
  });

  it('a runner that answered and refused is reported, not papered over by WebContainer', async () => {
    const refused = new RuntimeError('rejected', 'open the course at the address npm start prints');
    const { start, tried } = backends({ webcontainer: 'boots', local: refused });
    await expect(selectRuntime(facts(), start)).rejects.toBe(refused);
    expect(tried).toEqual(['local']);
  });

  it('with neither, rejects with what went wrong and how to run the lesson locally', async () => {
    const { start } = backends({ webcontainer: timedOut, local: runnerDown });
    const error = await selectRuntime(facts(), start).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRuntimeAvailableError);
    expect((error as NoRuntimeAvailableError).code).toBe('service-unreachable');
    expect((error as NoRuntimeAvailableError).message).toMatch(/no answer within 20 s.*npm start/);
  });

  it('not isolated and no runner: WebContainer is not even tried', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: runnerDown });
    const error = await selectRuntime(facts({ crossOriginIsolated: false }), start).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoRuntimeAvailableError);
    expect((error as RuntimeError).code).toBe('not-isolated');
    expect(tried).toEqual(['local']);
  });
});

describe('explicit choices', () => {
  it('the caller’s choice beats ?runtime= and the stored choice', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(
      facts({ choice: 'webcontainer', search: '?runtime=local', stored: 'local' }),
      start,
    );
    expect(selection).toMatchObject({ kind: 'webcontainer', reason: 'explicit' });
    expect(tried).toEqual(['webcontainer']);
  });

  it('?runtime= beats the stored choice', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(
      facts({ search: '?lesson=1&runtime=webcontainer', stored: 'local' }),
      start,
    );
    expect(selection).toMatchObject({ kind: 'webcontainer', reason: 'explicit' });
    expect(tried).toEqual(['webcontainer']);
  });

  it('the stored choice beats auto', async () => {
    const { start, tried } = backends({ webcontainer: 'boots', local: 'boots' });
    const selection = await selectRuntime(facts({ stored: 'webcontainer' }), start);
    expect(selection).toMatchObject({ kind: 'webcontainer', reason: 'explicit' });
    expect(tried).toEqual(['webcontainer']);
  });

  it('an explicit choice that fails is reported as is, with no silent fallback', async () => {
    const { start, tried } = backends({ webcontainer: timedOut, local: 'boots' });
    await expect(selectRuntime(facts({ search: '?runtime=webcontainer' }), start)).rejects.toBe(
      timedOut,
    );
    expect(tried).toEqual(['webcontainer']);
  });

  it('an invalid stored or URL value is ignored and auto applies', async () => {
    expect(requestedChoice({ search: '?runtime=docker', stored: '{"kind":"local"}' })).toBe('auto');
    const { start } = backends({ local: 'boots' });
    const selection = await selectRuntime(facts({ stored: 'LOCAL' }), start);
    expect(selection.reason).toBe('auto-local');
  });

  it('?runtime=auto overrides a stored choice back to auto', async () => {
    expect(requestedChoice({ search: '?runtime=auto', stored: 'webcontainer' })).toBe('auto');
  });
});
