import { describe, expect, it } from 'vitest';
import type { Runtime, RuntimeProcess, RuntimeSelection } from '../../../../src/runtime/index.ts';
import type { ServerReadyEvent, SpawnOptions } from '../../../../src/runtime/types.ts';
import type { SandboxBundle } from '../../../../src/sandbox/types.ts';
import { LabSession, type RunStatus } from '../../../../src/client/workspace/session.ts';
import { NONCE_ENV } from '../../../../src/sandbox/protocol.ts';

/** A process the test drives by hand: print output, exit with a code. */
class FakeProcess implements RuntimeProcess {
  readonly output: ReadableStream<string>;
  readonly exit: Promise<number>;
  readonly stdin: string[] = [];
  killed = false;
  private controller!: ReadableStreamDefaultController<string>;
  private resolveExit!: (code: number) => void;
  constructor(
    readonly args: readonly string[],
    readonly env: Record<string, string>,
    /** The PORT the runtime gave this process; its preview is what listens there. */
    readonly port: number,
  ) {
    this.output = new ReadableStream({ start: (c) => void (this.controller = c) });
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
  }
  print(text: string) {
    this.controller.enqueue(text);
  }
  /** Exits first and closes the output after, as a real backend may. */
  end(code: number, lateOutput = '') {
    this.resolveExit(code);
    setTimeout(() => {
      if (lateOutput) this.controller.enqueue(lateOutput);
      this.controller.close();
    }, 20);
  }
  async write(data: string) {
    this.stdin.push(data);
  }
  async kill() {
    this.killed = true;
    this.end(143);
  }
}

class FakeRuntime implements Runtime {
  readonly kind = 'local' as const;
  readonly processes: FakeProcess[] = [];
  /** The PORT the next spawned process gets. */
  nextPort = 4001;
  mounted: Record<string, string>[] = [];
  private listeners = new Set<(event: ServerReadyEvent) => void>();
  async boot() {}
  async mount(tree: Record<string, string>) {
    this.mounted.push({ ...tree });
  }
  async writeFile() {}
  async readFile() {
    return '';
  }
  async spawn(_command: string, args: readonly string[], options?: SpawnOptions) {
    const process = new FakeProcess(args, { ...(options?.env ?? {}) }, this.nextPort);
    this.processes.push(process);
    return process;
  }
  onServerReady(listener: (event: ServerReadyEvent) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  ready(port: number) {
    for (const listener of this.listeners) listener({ port, url: `http://127.0.0.1:${port}/` });
  }
  async teardown() {}
}

function bundle(topology: SandboxBundle['manifest']['topology'] = null): SandboxBundle {
  return {
    id: 'lab',
    manifest: {
      title: 'Lab',
      run: ['node', 'server.js'],
      open: ['server.js'],
      topology,
      hints: {},
      steps: null,
    },
    starter: { 'server.js': 'starter' },
    solution: { 'server.js': 'solution' },
    support: { '_kit/reporter.mjs': 'reporter' },
    checkCommand: ['node', '--test', 'checks/a.test.mjs'],
    checkTitles: [],
  };
}

function harness(topology: SandboxBundle['manifest']['topology'] = null) {
  const runtime = new FakeRuntime();
  const statuses: RunStatus['kind'][] = [];
  const output: string[] = [];
  const previews: (string | null)[] = [];
  const session = new LabSession(
    bundle(topology),
    {
      status: (s) => void statuses.push(s.kind),
      output: (text) => void output.push(text),
      note: () => undefined,
      event: () => undefined,
      preview: (url) => void previews.push(url),
      problem: () => undefined,
    },
    async (): Promise<RuntimeSelection> => ({ runtime, kind: 'local', reason: 'explicit' }),
  );
  return { runtime, session, statuses, output, previews };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const event = (data: object) => `@@svs-event ${JSON.stringify(data)}\n`;

describe('LabSession', () => {
  it('ignores output and the exit of a process that a restart replaced', async () => {
    const { runtime, session, statuses, output } = harness();
    await session.start({ 'server.js': 'v1' });
    const first = runtime.processes[0]!;
    await session.start({ 'server.js': 'v2' });
    expect(first.killed).toBe(true);
    const second = runtime.processes[1]!;
    first.print('old process talking\n');
    second.print('new process talking\n');
    await until(() => output.length > 0, 'output from the new process');
    expect(output.join('')).toBe('new process talking\n');
    expect(statuses).not.toContain('exited');
    expect(session.running).toBe(true);
    expect(runtime.mounted.at(-1)).toMatchObject({
      'server.js': 'v2',
      '_kit/reporter.mjs': 'reporter',
    });
  });

  it('previews the server listening on the PORT the runtime gave the lab', async () => {
    const { runtime, session, previews, statuses } = harness();
    await session.start({ 'server.js': 'v1' });
    runtime.ready(4999); // some other port: not the lab's
    expect(previews).toEqual([]);
    runtime.ready(4001);
    expect(previews).toEqual(['http://127.0.0.1:4001/']);
    expect(statuses.at(-1)).toBe('running');
  });

  it('with a balancer, waits for it and an instance, and previews the balancer, not an instance', async () => {
    const { runtime, session, previews } = harness({ instances: 2, store: false });
    runtime.nextPort = 5000;
    await session.start({ 'server.js': 'v1' });
    const process = runtime.processes[0]!;
    runtime.ready(5001); // an instance listens first
    process.print(event({ type: 'balancer', port: 5000, instances: 2, strategy: 'round-robin' }));
    runtime.ready(5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(previews).toEqual([]); // no instance is up yet: the balancer would answer 502
    process.print(event({ type: 'instance', instance: 1, state: 'up', port: 5001 }));
    await until(() => previews.length > 0, 'the preview');
    expect(previews).toEqual(['http://127.0.0.1:5000/']);
  });

  it('reports a crash once, and Stop afterwards changes nothing', async () => {
    const { runtime, session, statuses } = harness();
    await session.start({ 'server.js': 'v1' });
    runtime.processes[0]!.end(1);
    await until(() => statuses.includes('exited'), 'the exit');
    expect(session.running).toBe(false);
    await session.stop();
    expect(statuses.filter((s) => s === 'stopped')).toEqual([]);
  });

  it('keeps results that arrive after the check process exits, even if the server was stopped meanwhile', async () => {
    const { runtime, session } = harness();
    await session.start({ 'server.js': 'v1' });
    const results: string[] = [];
    const outcome = session.check({ 'server.js': 'v1' }, 5000, {
      result: (r) => void results.push(`${r.status} ${r.title}`),
    });
    await until(() => runtime.processes.length === 2, 'the check process');
    const checker = runtime.processes[1]!;
    const nonce = checker.env[NONCE_ENV] ?? '';
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    const line = (data: object) => `@@svs-check ${nonce} ${JSON.stringify(data)}\n`;
    checker.print(line({ id: 'a', title: 'first', status: 'pass', message: '', durationMs: 1 }));
    await session.stop();
    expect(checker.killed).toBe(false);
    // The exit overtakes the last chunk: the session drains the stream before it answers.
    checker.end(
      1,
      line({ id: 'b', title: 'second', status: 'fail', message: 'no', durationMs: 1 }) +
        line({ type: 'summary', passed: 1, failed: 1, total: 2 }),
    );
    expect(await outcome).toEqual({ kind: 'exited', code: 1, summary: true });
    expect(results).toEqual(['pass first', 'fail second']);
  });

  it('kills a check run that passes its deadline', async () => {
    const { runtime, session } = harness();
    const outcome = await session.check({ 'server.js': 'v1' }, 50, { result: () => undefined });
    expect(outcome).toEqual({ kind: 'deadline' });
    expect(runtime.processes[0]!.killed).toBe(true);
  });

  it('does not trust a check line without this run’s nonce', async () => {
    const { runtime, session } = harness();
    const results: string[] = [];
    const outcome = session.check({ 'server.js': 'v1' }, 5000, {
      result: (r) => void results.push(r.title),
    });
    await until(() => runtime.processes.length === 1, 'the check process');
    const checker = runtime.processes[0]!;
    checker.print(
      `@@svs-check ${'0'.repeat(32)} ${JSON.stringify({ id: 'x', title: 'forged', status: 'pass' })}\n`,
    );
    checker.end(0);
    expect(await outcome).toEqual({ kind: 'exited', code: 0, summary: false });
    expect(results).toEqual([]);
  });
});
