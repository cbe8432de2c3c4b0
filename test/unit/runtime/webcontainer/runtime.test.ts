import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeError, type Runtime } from '../../../../src/runtime/types.ts';
import type { BrowserFacts } from '../../../../src/runtime/webcontainer/environment.ts';
import { createContainerHost } from '../../../../src/runtime/webcontainer/host.ts';
import {
  createRuntimeOnHost,
  type WebContainerRuntimeOptions,
} from '../../../../src/runtime/webcontainer/runtime.ts';
import { GestureRequiredError } from '../../../../src/runtime/webcontainer/errors.ts';
import { createFakeWebContainerApi } from '../../../helpers/fake-webcontainer.ts';

const capableBrowser = (): BrowserFacts => ({
  crossOriginIsolated: true,
  hasSharedArrayBuffer: true,
  hasWebAssembly: true,
  onLine: true,
  cookieEnabled: true,
  isIOS: false,
  userActivationActive: false,
});

function setup(facts: Partial<BrowserFacts> = {}) {
  const api = createFakeWebContainerApi();
  const browser = { ...capableBrowser(), ...facts };
  const host = createContainerHost(api.boot, () => browser);
  const runtime = (options: Partial<WebContainerRuntimeOptions> = {}): Runtime =>
    createRuntimeOnHost(host, {
      requireGesture: false,
      killGraceMs: 0,
      outputDrainMs: 0,
      ...options,
    });
  return { api, browser, host, runtime, container: api.container };
}

async function readAll(stream: ReadableStream<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

async function bootError(runtime: Runtime): Promise<RuntimeError> {
  const error: unknown = await runtime.boot().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RuntimeError))
    throw new Error(`expected a RuntimeError, got ${String(error)}`);
  return error;
}

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

  it('after teardown, boots again on the same instance and starts from an empty sandbox', async () => {
    const { api, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    await sandbox.mount({ 'server.js': 'old' });
    await sandbox.teardown();
    await sandbox.boot();
    expect(api.bootCalls).toHaveLength(1);
    await expect(sandbox.readFile('server.js')).rejects.toThrow(/no file/);
    await sandbox.mount({ 'server.js': 'new' });
    expect(await sandbox.readFile('server.js')).toBe('new');
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

describe('iPhone and iPad', () => {
  it('boot waits for a tap: refused with a tap-required error until a gesture is granted', async () => {
    const { api, host, runtime } = setup({ isIOS: true });
    const sandbox = runtime({ requireGesture: true });
    const error = await bootError(sandbox);
    expect(error).toBeInstanceOf(GestureRequiredError);
    expect(error.code).toBe('unsupported');
    expect(api.bootCalls).toHaveLength(0);
    host.grantUserGesture();
    await sandbox.boot();
    expect(api.bootCalls).toHaveLength(1);
  });

  it('boot inside a click handler (user activation active) needs no explicit grant', async () => {
    const { api, runtime } = setup({ isIOS: true, userActivationActive: true });
    await runtime({ requireGesture: true }).boot();
    expect(api.bootCalls).toHaveLength(1);
  });
});

describe('files', () => {
  it('mount makes the sandbox exactly the new tree: files not in it are removed', async () => {
    const { runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    await sandbox.mount({ 'server.js': 'a', 'lib/store.js': 'b' });
    await sandbox.writeFile('notes.txt', 'mine');
    await sandbox.mount({ 'server.js': 'c' });
    expect(await sandbox.readFile('server.js')).toBe('c');
    await expect(sandbox.readFile('lib/store.js')).rejects.toMatchObject({ code: 'failed' });
    await expect(sandbox.readFile('notes.txt')).rejects.toMatchObject({ code: 'failed' });
  });

  it('refuses a tree with a path outside the sandbox and leaves the current files alone', async () => {
    const { runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    await sandbox.mount({ 'server.js': 'kept' });
    for (const bad of ['../x', 'a/../../x', '/etc/x', 'C:\\x', 'a\0b', '']) {
      await expect(sandbox.mount({ [bad]: 'x' })).rejects.toMatchObject({ code: 'rejected' });
    }
    await expect(sandbox.mount({ a: '1', 'a/b': '2' })).rejects.toMatchObject({ code: 'rejected' });
    expect(await sandbox.readFile('server.js')).toBe('kept');
  });

  it('writeFile creates folders; two runtimes on one page keep separate files', async () => {
    const { runtime } = setup();
    const one = runtime();
    const two = runtime();
    await Promise.all([one.boot(), two.boot()]);
    await one.writeFile('lib/deep/store.js', 'one');
    await two.mount({ 'server.js': 'two' });
    expect(await one.readFile('lib/deep/store.js')).toBe('one');
    await expect(two.readFile('lib/deep/store.js')).rejects.toThrow();
  });
});

describe('processes', () => {
  it('streams output, reports the exit code, and gives the code its own PORT and HOST', async () => {
    const { container, runtime } = setup();
    container.onSpawn = (process) => {
      queueMicrotask(() => {
        process.print('listening\r\n');
        process.print('bye\r\n');
        process.exitWith(3);
      });
    };
    const sandbox = runtime();
    await sandbox.boot();
    const child = await sandbox.spawn('node', ['server.js'], { env: { PORT: '1', MODE: 'x' } });
    expect(await readAll(child.output)).toBe('listening\r\nbye\r\n');
    expect(await child.exit).toBe(3);
    const spawned = container.processes[0];
    expect(spawned?.command).toBe('node');
    expect(spawned?.args).toEqual(['server.js']);
    expect(spawned?.options.env).toMatchObject({ MODE: 'x', HOST: '127.0.0.1' });
    expect(Number(spawned?.options.env?.['PORT'])).toBeGreaterThan(1024);
  });

  it('gives concurrent processes different ports and runs them in the sandbox folder', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    await sandbox.spawn('node', ['a.js']);
    await sandbox.spawn('node', ['b.js'], { cwd: 'lib' });
    const [a, b] = container.processes;
    expect(a?.options.env?.['PORT']).not.toBe(b?.options.env?.['PORT']);
    expect(b?.options.cwd).toBe(`${a?.options.cwd}/lib`);
  });

  it('write() reaches stdin', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    const balancer = await sandbox.spawn('node', ['_kit/balancer.mjs']);
    await balancer.write('kill 2\n');
    await balancer.write('start 2\n');
    expect(container.processes[0]?.stdin).toEqual(['kill 2\n', 'start 2\n']);
  });

  it('kill stops the process, is idempotent, and exit settles even if the container never reports it', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    const polite = await sandbox.spawn('node', ['a.js']);
    await polite.kill();
    await polite.kill();
    expect(await polite.exit).toBe(130);
    expect(container.processes[0]?.killCalls).toBe(1);

    container.exitsOnKill = false;
    const stubborn = await sandbox.spawn('node', ['b.js']);
    await stubborn.kill();
    expect(await stubborn.exit).toBe(143);
    expect(await readAll(stubborn.output)).toBe('');
  });

  it('teardown kills every running process', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    const one = await sandbox.spawn('node', ['a.js']);
    const two = await sandbox.spawn('node', ['b.js']);
    await sandbox.teardown();
    expect(container.processes.map((p) => p.killCalls)).toEqual([1, 1]);
    await Promise.all([one.exit, two.exit]);
  });
});

describe('server-ready', () => {
  it('forwards the container’s event for ports this runtime gave out, and only those', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    const seen: Array<{ port: number; url: string }> = [];
    const unsubscribe = sandbox.onServerReady((event) => seen.push(event));
    await sandbox.spawn('node', ['server.js']);
    const port = Number(container.processes[0]?.options.env?.['PORT']);
    container.emitServerReady(port, 'https://preview.example');
    container.emitServerReady(port + 1000); // e.g. a check's own test server
    expect(seen).toEqual([{ port, url: 'https://preview.example' }]);
    unsubscribe();
    container.emitServerReady(port);
    expect(seen).toHaveLength(1);
  });

  it('stops forwarding after teardown', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    const seen: number[] = [];
    sandbox.onServerReady((event) => seen.push(event.port));
    await sandbox.spawn('node', ['server.js']);
    const port = Number(container.processes[0]?.options.env?.['PORT']);
    await sandbox.teardown();
    container.emitServerReady(port);
    expect(seen).toEqual([]);
  });
});
