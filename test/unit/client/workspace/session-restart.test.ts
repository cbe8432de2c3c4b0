import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  RuntimeError,
  type Runtime,
  type RuntimeProcess,
  type SpawnOptions,
} from '../../../../src/runtime/types.ts';
import type { SandboxBundle } from '../../../../src/sandbox/types.ts';

/**
 * A runtime whose timing can be set per test: servers can be ready before spawn() returns (what a
 * loaded machine does: the event stream overtakes the HTTP answer), and spawns can be slow.
 */
class TimedRuntime implements Runtime {
  readonly kind = 'local' as const;
  readonly mounts: Array<Record<string, string>> = [];
  readonly alive = new Set<number>();
  readyBeforeSpawnReturns = true;
  spawnDelayMs = 0;
  /** Set to make kill() report what would not stop, as the WebContainer backend does. */
  stuck: string | null = null;
  private nextPort = 5000;
  private readonly listeners = new Set<(event: { port: number; url: string }) => void>();

  async boot() {}
  async teardown() {}
  async mount(tree: Record<string, string>) {
    this.mounts.push({ ...tree });
  }
  onServerReady(listener: (event: { port: number; url: string }) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async spawn(_command: string, _args: readonly string[], options: SpawnOptions = {}) {
    const port = options.site ? 4000 : this.nextPort++;
    this.alive.add(port);
    let finish: (code: number) => void = () => {};
    const exit = new Promise<number>((resolve) => (finish = resolve));
    const ready = () => {
      for (const listener of this.listeners)
        listener({ port, url: `http://lab.localhost:${port}/` });
    };
    if (this.readyBeforeSpawnReturns) ready();
    await new Promise((resolve) => setTimeout(resolve, this.spawnDelayMs));
    const process: RuntimeProcess = {
      port,
      output: new ReadableStream<string>({ start: (c) => void exit.then(() => c.close()) }),
      exit,
      write: async () => {},
      kill: async () => {
        if (this.stuck) throw new RuntimeError('still-running', this.stuck);
        this.alive.delete(port);
        finish(143);
      },
    };
    if (!this.readyBeforeSpawnReturns) setTimeout(ready, 5);
    return process;
  }
}

const runtime = new TimedRuntime();
vi.mock('../../../../src/runtime/index.ts', () => ({
  getRuntime: async () => ({ runtime, kind: 'local', reason: 'explicit' }),
}));
const { LabSession } = await import('../../../../src/client/workspace/session.ts');

const bundle: SandboxBundle = {
  id: 'hello-server',
  manifest: {
    title: 'Hello',
    run: ['node', 'server.js'],
    open: ['server.js'],
    topology: null,
    hints: {},
    steps: null,
  },
  starter: { 'server.js': 'v0' },
  solution: { 'server.js': 'v1' },
  support: {},
  checkCommand: ['node', '--test', 'checks/a.test.mjs'],
  checkTitles: [],
};

function session() {
  const previews: Array<string | null> = [];
  const statuses: string[] = [];
  const problems: string[] = [];
  const lab = new LabSession(bundle, {
    status: (status) => statuses.push(status.kind),
    output: () => {},
    note: () => {},
    event: () => {},
    preview: (url) => previews.push(url),
    problem: (message) => problems.push(message),
  });
  return { lab, previews, statuses, problems };
}

beforeEach(() => {
  runtime.readyBeforeSpawnReturns = true;
  runtime.spawnDelayMs = 0;
  runtime.mounts.length = 0;
  runtime.stuck = null;
  runtime.alive.clear();
});

describe('restarts always reach the preview', () => {
  it('shows the preview even when the server was ready before spawn() returned', async () => {
    const { lab, previews, statuses } = session();
    await lab.start({ 'server.js': 'v1' });
    expect(previews).toEqual(['http://lab.localhost:4000/']);
    expect(statuses.at(-1)).toBe('running');
  });

  it('edits that land while a restart is under way end with the latest code running, once', async () => {
    runtime.spawnDelayMs = 20;
    runtime.readyBeforeSpawnReturns = false;
    const { lab, previews, statuses } = session();
    const first = lab.start({ 'server.js': 'v1' });
    await vi.waitFor(() => expect(runtime.mounts).toHaveLength(1));
    const starts = [first, ...['v2', 'v3', 'v4'].map((code) => lab.start({ 'server.js': code }))];
    await Promise.all(starts);
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('running'));
    expect(runtime.mounts.at(-1)).toEqual({ 'server.js': 'v4' });
    // The first start was already under way; the two in between were skipped.
    expect(runtime.mounts.map((tree) => tree['server.js'])).toEqual(['v1', 'v4']);
    expect(runtime.alive.size).toBe(1);
    expect(previews.filter((url) => url !== null).at(-1)).toBe('http://lab.localhost:4000/');
  });

  it('counts as running from the moment Run is pressed, so an edit while starting restarts', async () => {
    runtime.spawnDelayMs = 20;
    const { lab } = session();
    const starting = lab.start({ 'server.js': 'v1' });
    expect(lab.running).toBe(true);
    await starting;
    await lab.stop();
    expect(lab.running).toBe(false);
    expect(runtime.alive.size).toBe(0);
  });

  it('a Stop pressed while a start is queued wins', async () => {
    runtime.spawnDelayMs = 20;
    const { lab, statuses } = session();
    const first = lab.start({ 'server.js': 'v1' });
    const second = lab.start({ 'server.js': 'v2' });
    const stopped = lab.stop();
    await Promise.all([first, second, stopped]);
    await lab.stop();
    expect(runtime.alive.size).toBe(0);
    expect(runtime.mounts.map((tree) => tree['server.js'])).not.toContain('v2');
    expect(statuses.at(-1)).toBe('stopped');
  });

  it('a process that would not stop is named to the learner, and Stop still completes', async () => {
    const { lab, problems, statuses } = session();
    await lab.start({ 'server.js': 'v1' });
    runtime.stuck =
      '`node server.js` stopped, but something it started still answers on port 4101.';
    await lab.stop();
    expect(problems).toEqual([runtime.stuck]);
    expect(statuses.at(-1)).toBe('stopped');
  });
});
