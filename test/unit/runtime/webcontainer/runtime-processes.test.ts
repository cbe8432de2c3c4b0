/** The WebContainer runtime on a fake page: files, processes, ports and server-ready events. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeError } from '../../../../src/runtime/types.ts';
import { programs } from '../../../helpers/fake-webcontainer.ts';
import { fileIn, readAll, setup } from './runtime-setup.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('files', () => {
  it('mount makes the sandbox exactly the new tree: files not in it are removed', async () => {
    const { runtime, container } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    await sandbox.mount({ 'server.js': 'a', 'lib/store.js': 'b' });
    await sandbox.mount({ 'server.js': 'c' });
    expect(fileIn(container, 'server.js')).toBe('c');
    expect(fileIn(container, 'lib/store.js')).toBeUndefined();
  });

  it('refuses a tree with a path outside the sandbox and leaves the current files alone', async () => {
    const { runtime, container } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    await sandbox.mount({ 'server.js': 'kept' });
    for (const bad of ['../x', 'a/../../x', '/etc/x', 'C:\\x', 'a\0b', '']) {
      await expect(sandbox.mount({ [bad]: 'x' })).rejects.toMatchObject({ code: 'rejected' });
    }
    await expect(sandbox.mount({ a: '1', 'a/b': '2' })).rejects.toMatchObject({ code: 'rejected' });
    expect(fileIn(container, 'server.js')).toBe('kept');
  });

  it('two runtimes on one page keep separate files', async () => {
    const { runtime, container } = setup();
    const one = runtime();
    const two = runtime();
    await Promise.all([one.boot(), two.boot()]);
    await one.mount({ 'lib/deep/store.js': 'one' });
    await two.mount({ 'server.js': 'two' });
    const roots = new Set([...container.files.keys()].map((path) => path.split('/')[0]));
    expect(roots.size).toBe(2);
    await two.mount({});
    expect(fileIn(container, 'lib/deep/store.js')).toBe('one');
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

  it('kill sends a shutdown line first, is idempotent, and exit settles', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    const polite = await sandbox.spawn('node', ['a.js']);
    expect(polite.port).toBe(container.processes[0]?.port);
    await polite.kill();
    await polite.kill();
    expect(await polite.exit).toBe(130);
    expect(container.processes[0]?.stdin).toEqual(['shutdown\n']);
    expect(container.processes[0]?.killCalls).toBe(1);
  });

  it('a process that would not stop is named in a still-running error the page can show', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    container.exitsOnKill = false;
    const stubborn = await sandbox.spawn('node', ['stubborn.js']);
    const error = await stubborn.kill().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('still-running');
    expect((error as RuntimeError).message).toContain('node stubborn.js');
    expect(await stubborn.exit).toBe(143);
    expect(await readAll(stubborn.output)).toBe('');
  });

  it('a child left listening after its parent was killed is named by its port', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    // A supervisor that ignores the shutdown line: killing it leaves its instances running.
    container.onSpawn = (process) =>
      queueMicrotask(() => {
        process.listen(process.port);
        process.startChild('instance 1', Number(process.env['SVS_PORTS']));
      });
    const careless = await sandbox.spawn('node', ['careless.js'], { extraPorts: 1 });
    await vi.waitFor(() => expect(container.processes[0]?.children).toHaveLength(1));
    const left = Number(container.processes[0]?.env['SVS_PORTS']);
    const error = await careless.kill().catch((e: unknown) => e);
    expect((error as RuntimeError).code).toBe('still-running');
    expect((error as RuntimeError).message).toContain(`port ${left}`);
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

describe('no port outlives a stop (kill() ends only the one process it is called on)', () => {
  async function balancerRun() {
    const setupResult = setup();
    const { container, runtime } = setupResult;
    const sandbox = runtime();
    await sandbox.boot();
    container.onSpawn = (process) => programs.balancer(process, 4999);
    const start = async () => {
      await sandbox.mount({ 'server.js': 'v' });
      const balancer = await sandbox.spawn('node', ['_kit/balancer.mjs', 'server.js'], {
        extraPorts: 3,
        site: 'stateless-api',
      });
      const spawned = container.processes.at(-1)!;
      await vi.waitFor(() => expect(spawned.children).toHaveLength(4));
      const used = [spawned.port, ...spawned.children.map((child) => child.port)];
      for (const port of used) expect(container.answers(port)).toBe(true);
      return { balancer, used };
    };
    return { ...setupResult, sandbox, start };
  }

  it('after Stop: the balancer, its instances and the store are all gone', async () => {
    const { container, start } = await balancerRun();
    const { balancer, used } = await start();
    await balancer.kill();
    expect(used.filter((port) => container.answers(port))).toEqual([]);
    expect(container.processes[0]?.env['SVS_PORTS']?.split(',')).toHaveLength(3);
  });

  it('after a restart following an edit: only the new run’s ports answer, on the same PORT', async () => {
    const { container, start } = await balancerRun();
    const first = await start();
    await first.balancer.kill();
    const second = await start();
    expect(second.balancer.port).toBe(first.balancer.port);
    const stale = first.used.filter((port) => !second.used.includes(port));
    expect(stale.filter((port) => container.answers(port))).toEqual([]);
    await second.balancer.kill();
    expect(second.used.filter((port) => container.answers(port))).toEqual([]);
  });

  it('after a check deadline: the check run’s own servers are gone', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    container.onSpawn = (process) => programs.checkRun(process, 5123);
    const run = await sandbox.spawn('node', ['--test', 'checks/a.test.mjs'], { task: true });
    await vi.waitFor(() => expect(container.answers(5123)).toBe(true));
    // The page's deadline passed: it kills the run.
    await run.kill();
    expect(container.answers(5123)).toBe(false);
  });
});

describe('stable preview ports', () => {
  it('a lab’s main process gets the same PORT on every start, and two labs get different ones', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    container.onSpawn = programs.server;
    const ports: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const server = await sandbox.spawn('node', ['server.js'], { site: 'server-cart' });
      ports.push(server.port);
      // Something else started meanwhile must not take the lab's port.
      await (await sandbox.spawn('node', ['other.js'])).kill();
      await server.kill();
    }
    expect(new Set(ports).size).toBe(1);
    const other = await sandbox.spawn('node', ['server.js'], { site: 'stateless-api' });
    expect(other.port).not.toBe(ports[0]);
  });

  it('the preview origin (which holds the port) is therefore the same after a restart', async () => {
    const { container, runtime } = setup();
    const sandbox = runtime();
    await sandbox.boot();
    container.onSpawn = programs.server;
    const urls: string[] = [];
    sandbox.onServerReady(({ url }) => urls.push(new URL(url).origin));
    for (let i = 0; i < 2; i += 1) {
      const server = await sandbox.spawn('node', ['server.js'], { site: 'session-counter' });
      await vi.waitFor(() => expect(urls).toHaveLength(i + 1));
      await server.kill();
    }
    expect(urls[0]).toBe(urls[1]);
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
