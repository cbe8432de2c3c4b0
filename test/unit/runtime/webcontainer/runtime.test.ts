/** The WebContainer runtime on a fake page: booting, and why a boot fails. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeError, type BootProgress } from '../../../../src/runtime/types.ts';
import { bootError, fileIn, setup } from './runtime-setup.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('booting the page’s one WebContainer', () => {
  it('boots once for repeated boot() calls and for two runtimes, with the page’s COEP mode', async () => {
    const { api, runtime } = setup();
    const first = runtime();
    const second = runtime();
    expect(first.boot()).toBe(first.boot());
    await Promise.all([first.boot(), second.boot(), first.boot()]);
    expect(api.bootCalls).toHaveLength(1);
    expect(api.bootCalls[0]?.coep).toBe('require-corp');
  });

  it('reports “booting” only for the boot that waits for the page’s container', async () => {
    const { api, runtime } = setup();
    const steps: BootProgress[] = [];
    const first = runtime();
    await first.boot((progress) => steps.push(progress));
    expect(steps).toEqual([{ kind: 'webcontainer', step: 'booting' }]);
    // The page's container is up: another lab's runtime has nothing to wait for.
    const second = runtime();
    await second.boot((progress) => steps.push(progress));
    // And a repeated boot() of the same runtime returns the first one's promise.
    await first.boot((progress) => steps.push(progress));
    expect(steps).toHaveLength(1);
    expect(api.bootCalls).toHaveLength(1);
  });

  it('does not claim to boot in a browser that cannot run it', async () => {
    const { runtime } = setup({ crossOriginIsolated: false, hasSharedArrayBuffer: false });
    const steps: BootProgress[] = [];
    await runtime()
      .boot((progress) => steps.push(progress))
      .catch(() => {});
    expect(steps).toEqual([]);
  });

  it('after teardown, boots again on the same instance and starts from an empty sandbox', async () => {
    const { api, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    await sandbox.mount({ 'server.js': 'old' });
    await sandbox.teardown();
    expect(fileIn(api.container, 'server.js')).toBeUndefined();
    await sandbox.boot();
    expect(api.bootCalls).toHaveLength(1);
    await sandbox.mount({ 'server.js': 'new' });
    expect(fileIn(api.container, 'server.js')).toBe('new');
  });

  it('refuses file operations before boot with a readable error', async () => {
    const { runtime } = setup();
    await expect(runtime().mount({ a: '1' })).rejects.toThrow(/isn’t started/);
  });
});

describe('why the in-browser runtime could not start', () => {
  it('not-isolated when the page lacks COOP/COEP, without contacting the service', async () => {
    const { api, runtime } = setup({ crossOriginIsolated: false, hasSharedArrayBuffer: false });
    const error = await bootError(runtime());
    expect(error.code).toBe('not-isolated');
    expect(error.message).toMatch(/npm start/);
    expect(api.bootCalls).toHaveLength(0);
  });

  it('unsupported when the browser has no SharedArrayBuffer or no notion of isolation', async () => {
    expect((await bootError(setup({ hasSharedArrayBuffer: false }).runtime())).code).toBe(
      'unsupported',
    );
    expect((await bootError(setup({ crossOriginIsolated: undefined }).runtime())).code).toBe(
      'unsupported',
    );
  });

  it('service-unreachable when boot has not finished by the deadline', async () => {
    vi.useFakeTimers();
    const { api, runtime } = setup();
    api.behaviour = { kind: 'hang' };
    const booting = runtime({ bootTimeoutMs: 20_000 }).boot();
    const outcome = booting.then(
      () => 'booted',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(19_999);
    expect(await Promise.race([outcome, Promise.resolve('still waiting')])).toBe('still waiting');
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('service-unreachable');
    expect((error as RuntimeError).message).toMatch(/20 s.*choose Local/s);
  });

  it('names both likely causes: offline and blocked third-party storage', async () => {
    const { api, runtime } = setup();
    api.behaviour = { kind: 'hang' };
    const error = await bootError(runtime({ bootTimeoutMs: 1 }));
    expect(error.message).toMatch(/offline/);
    expect(error.message).toMatch(/third-party cookies and storage/);
  });

  it('a service frame that loaded and went silent fails the boot at once, not at the deadline', async () => {
    vi.useFakeTimers();
    const { api, runtime, serviceFrameFails } = setup();
    api.behaviour = { kind: 'hang' };
    const sandbox = runtime({ bootTimeoutMs: 20_000 });
    const outcome = sandbox.boot().then(
      () => 'booted',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(100);
    serviceFrameFails();
    await vi.advanceTimersByTimeAsync(0);
    const error = await Promise.race([outcome, Promise.resolve('still waiting')]);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('service-unreachable');
    expect((error as RuntimeError).message).toMatch(/never answered/);
    // A second runtime on the page learns the same at once instead of waiting out its deadline.
    const second = bootError(runtime({ bootTimeoutMs: 20_000 }));
    await vi.advanceTimersByTimeAsync(0);
    const again = await Promise.race([second, Promise.resolve('still waiting')]);
    expect((again as RuntimeError).code).toBe('service-unreachable');
  });

  it('service-unreachable when the boot fails to fetch, or the browser says it is offline', async () => {
    const failing = setup();
    failing.api.behaviour = { kind: 'reject', error: new TypeError('Failed to fetch') };
    expect((await bootError(failing.runtime())).code).toBe('service-unreachable');

    const offline = setup({ onLine: false });
    expect((await bootError(offline.runtime())).code).toBe('service-unreachable');
    expect(offline.api.bootCalls).toHaveLength(0);
  });

  it('storage-blocked when boot reports blocked storage, or times out with cookies disabled', async () => {
    const blocked = setup();
    blocked.api.behaviour = {
      kind: 'reject',
      error: new DOMException(
        'Access to storage is not allowed from this context.',
        'SecurityError',
      ),
    };
    const error = await bootError(blocked.runtime());
    expect(error.code).toBe('storage-blocked');
    expect(error.message).toMatch(/third-party cookies/);

    const noCookies = setup({ cookieEnabled: false });
    noCookies.api.behaviour = { kind: 'hang' };
    expect((await bootError(noCookies.runtime({ bootTimeoutMs: 1 }))).code).toBe('storage-blocked');
  });

  it('an unknown boot failure is "failed" and keeps the original message', async () => {
    const { api, runtime } = setup();
    api.behaviour = { kind: 'reject', error: new Error('kaboom') };
    const error = await bootError(runtime());
    expect(error.code).toBe('failed');
    expect(error.message).toMatch(/kaboom/);
  });

  it('a retry after the deadline waits on the same boot instead of booting twice', async () => {
    const { api, runtime } = setup();
    api.behaviour = { kind: 'hang' };
    const sandbox = runtime({ bootTimeoutMs: 1 });
    expect((await bootError(sandbox)).code).toBe('service-unreachable');
    api.behaviour = { kind: 'succeed' };
    const retry = sandbox.boot();
    api.finishHangingBoots();
    await retry;
    expect(api.bootCalls).toHaveLength(1);
  });
});
