import {
  RuntimeError,
  type BootProgress,
  type FileTree,
  type Runtime,
  type RuntimeProcess,
  type ServerReadyEvent,
  type SpawnOptions,
} from '../types.ts';
import { RunnerConnection } from './connection.ts';
import type { RunnerEvent, SpawnAnswer, WebSocketConstructor } from './protocol.ts';

export interface LocalRuntimeOptions {
  /** Where the runner answers; defaults to this page's origin (the runner shares the course server). */
  baseUrl?: string;
  /** Injected in tests (Node has no global WebSocket before v22). */
  WebSocket?: WebSocketConstructor;
  fetch?: typeof fetch;
  /** How long boot waits for the runner before saying it is unreachable. */
  timeoutMs?: number;
}

interface LiveProcess {
  output: ReadableStreamDefaultController<string>;
  finish(code: number): void;
  done: boolean;
}

const LOST_MESSAGE = '\n[Lost the connection to the local runner; the process was stopped]\n';

export class LocalRuntime implements Runtime {
  readonly kind = 'local' as const;
  private booting: Promise<void> | undefined;
  private connection: RunnerConnection | undefined;
  private readonly processes = new Map<string, LiveProcess>();
  // Output can arrive on the stream before the spawn call has returned the process id.
  private readonly early = new Map<string, RunnerEvent[]>();
  private readonly readyListeners = new Set<(event: ServerReadyEvent) => void>();

  constructor(private readonly options: LocalRuntimeOptions = {}) {}

  boot(onStep: (progress: BootProgress) => void = () => {}): Promise<void> {
    this.booting ??= this.connect(onStep).catch((error: unknown) => {
      this.booting = undefined; // let a later boot retry, e.g. once `npm start` runs
      throw error;
    });
    return this.booting;
  }

  async mount(tree: FileTree): Promise<void> {
    await this.call('mount', { files: tree });
  }

  async spawn(
    command: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ): Promise<RuntimeProcess> {
    const answer = await this.call<SpawnAnswer>('spawn', {
      command,
      args,
      env: options.env ?? {},
      cwd: options.cwd,
      extraPorts: options.extraPorts ?? 0,
      expectsServer: !options.task,
      ...(options.site === undefined ? {} : { site: options.site }),
    });
    return this.track(answer.process, answer.ports[0] ?? 0);
  }

  onServerReady(listener: (event: ServerReadyEvent) => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  async teardown(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    try {
      await connection.call('teardown');
    } finally {
      connection.close();
      this.connection = undefined;
      this.booting = undefined;
      this.endAll('');
    }
  }

  private async connect(onStep: (progress: BootProgress) => void): Promise<void> {
    onStep({ kind: 'local', step: 'connecting' });
    const fetchImpl = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    const socketImpl =
      this.options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
    if (!socketImpl)
      throw new RuntimeError('unsupported', 'This browser has no WebSocket support.');
    const connection = new RunnerConnection({
      baseUrl: this.options.baseUrl ?? globalThis.location.origin,
      fetch: fetchImpl,
      WebSocket: socketImpl,
      // Generous: on a busy machine the course's own server can be slow, and giving up early would
      // send `auto` looking for WebContainer although the runner is right there.
      timeoutMs: this.options.timeoutMs ?? 20_000,
      onEvent: (event) => this.dispatch(event),
      onLost: () => this.endAll(LOST_MESSAGE),
    });
    await connection.open();
    this.connection = connection;
  }

  private async call<T>(action: string, body: Record<string, unknown> = {}): Promise<T> {
    await this.boot();
    return this.connection!.call<T>(action, body);
  }

  private track(id: string, port: number): RuntimeProcess {
    let finish!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (finish = resolve));
    let controller!: ReadableStreamDefaultController<string>;
    const output = new ReadableStream<string>({ start: (c) => void (controller = c) });
    const live: LiveProcess = {
      output: controller,
      done: false,
      finish: (code) => {
        if (live.done) return;
        live.done = true;
        ignoreCancelled(() => controller.close());
        this.processes.delete(id);
        finish(code);
      },
    };
    this.processes.set(id, live);
    for (const event of this.early.get(id) ?? []) this.dispatch(event);
    this.early.delete(id);
    return {
      port,
      output,
      exit,
      write: async (data) => {
        if (!live.done) await this.call('stdin', { process: id, data });
      },
      kill: async () => {
        if (live.done) return;
        // One call: the runner's `stop` writes the shutdown line itself, gives the process a
        // moment to stop its children, then ends the whole process group.
        await this.call('stop', { process: id }).catch((error: unknown) => {
          if (!live.done) throw error;
        });
        await exit;
      },
    };
  }

  private dispatch(event: RunnerEvent): void {
    if (event.type === 'hello') return;
    const live = this.processes.get(event.process);
    if (!live) {
      const waiting = this.early.get(event.process) ?? [];
      waiting.push(event);
      this.early.set(event.process, waiting);
      return;
    }
    if (event.type === 'output') ignoreCancelled(() => live.output.enqueue(event.data));
    else if (event.type === 'exit') live.finish(event.code);
    else for (const listener of this.readyListeners) listener({ port: event.port, url: event.url });
  }

  private endAll(message: string): void {
    for (const live of [...this.processes.values()]) {
      if (message) ignoreCancelled(() => live.output.enqueue(message));
      live.finish(1);
    }
    this.early.clear();
  }
}

/** A reader that cancelled the output stream makes enqueue/close throw; the process goes on. */
function ignoreCancelled(action: () => void): void {
  try {
    action();
  } catch {
    // nobody is reading any more
  }
}
