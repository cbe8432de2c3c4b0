/**
 * An in-memory stand-in for exactly the `@webcontainer/api` surface the WebContainer backend uses
 * (src/runtime/webcontainer/surface.ts): boot, fs.{mkdir,rm}, mount, spawn and the `server-ready`
 * and `port` events. Like the real API, `mount` adds files and never removes any, boot may succeed
 * only once, and `kill()` ends the one process it is called on: children it started keep running
 * (and keep their ports open) unless the program itself stops them.
 *
 * Programs are scripted per spawn (`onSpawn`), using `listen`, `startChild`, `onLine` and `exitWith`.
 */
import type {
  BootContainer,
  Container,
  ContainerBootOptions,
  ContainerProcess,
  ContainerSpawnOptions,
  ContainerTree,
} from '../../src/runtime/webcontainer/surface.ts';

export type BootBehaviour =
  { kind: 'succeed' } | { kind: 'hang' } | { kind: 'reject'; error: Error };

export class FakeProcess implements ContainerProcess {
  readonly exit: Promise<number>;
  readonly input: WritableStream<string>;
  readonly output: ReadableStream<string>;
  readonly stdin: string[] = [];
  readonly children: FakeProcess[] = [];
  /** Ports this process itself listens on; they close when it ends, its children's do not. */
  readonly ports = new Set<number>();
  killCalls = 0;
  exited = false;
  private finish: (code: number) => void = () => {};
  private out: ReadableStreamDefaultController<string> | null = null;
  private readonly lineListeners: Array<(line: string) => void> = [];
  private pending = '';

  constructor(
    private readonly container: FakeContainer,
    readonly command: string,
    readonly args: string[],
    readonly options: ContainerSpawnOptions,
  ) {
    this.exit = new Promise((resolve) => {
      this.finish = resolve;
    });
    this.output = new ReadableStream({ start: (controller) => void (this.out = controller) });
    this.input = new WritableStream({
      write: (chunk) => {
        this.stdin.push(chunk);
        this.pending += chunk;
        const lines = this.pending.split('\n');
        this.pending = lines.pop() ?? '';
        for (const line of lines) for (const listener of this.lineListeners) listener(line);
      },
    });
  }

  get env(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.options.env ?? {}).map(([key, value]) => [key, String(value)]),
    );
  }

  /** PORT as the runtime gave it. */
  get port(): number {
    return Number(this.env['PORT']);
  }

  print(text: string): void {
    this.out?.enqueue(text);
  }

  /** Called with each full line written to stdin. */
  onLine(listener: (line: string) => void): void {
    this.lineListeners.push(listener);
  }

  /** Starts listening: the container reports the port open and, like the real one, server-ready. */
  listen(port: number): void {
    if (this.exited) return;
    this.ports.add(port);
    this.container.openPort(port);
  }

  /** A process this one starts (an instance, the store); it is not in the runtime's view. */
  startChild(name: string, port?: number): FakeProcess {
    const child = new FakeProcess(this.container, 'node', [name], { env: { PORT: port ?? 0 } });
    this.children.push(child);
    if (port !== undefined) child.listen(port);
    return child;
  }

  exitWith(code: number): void {
    if (this.exited) return;
    this.exited = true;
    for (const port of this.ports) this.container.closePort(port);
    this.ports.clear();
    this.out?.close();
    this.out = null;
    this.finish(code);
  }

  kill(): void {
    this.killCalls += 1;
    if (this.container.exitsOnKill) this.exitWith(130);
  }
}

export class FakeContainer implements Container {
  readonly files = new Map<string, string>();
  readonly directories = new Set<string>(['']);
  readonly processes: FakeProcess[] = [];
  /** Runs for every spawn, so a test can script what the "program" does. */
  onSpawn: (process: FakeProcess) => void = () => {};
  exitsOnKill = true;
  private readonly openPorts = new Set<number>();
  private readonly serverReadyListeners = new Set<(port: number, url: string) => void>();
  private readonly portListeners = new Set<
    (port: number, type: 'open' | 'close', url: string) => void
  >();

  readonly fs = {
    mkdir: async (path: string, _options: { recursive: true }): Promise<string> => {
      this.makeDirectories(path);
      return path;
    },
    rm: async (path: string, options: { force?: boolean; recursive?: boolean } = {}) => {
      const under = (p: string): boolean => p === path || p.startsWith(`${path}/`);
      const exists = this.files.has(path) || this.directories.has(path);
      if (!exists && !options.force) throw new Error(`ENOENT: '${path}'`);
      for (const file of [...this.files.keys()]) if (under(file)) this.files.delete(file);
      for (const dir of [...this.directories])
        if (under(dir) && dir !== '') this.directories.delete(dir);
    },
  };

  async mount(tree: ContainerTree, options: { mountPoint?: string } = {}): Promise<void> {
    const base = options.mountPoint ?? '';
    this.makeDirectories(base);
    for (const [name, node] of Object.entries(tree)) {
      const path = base ? `${base}/${name}` : name;
      if ('directory' in node) await this.mount(node.directory, { mountPoint: path });
      else this.files.set(path, node.file.contents);
    }
  }

  async spawn(command: string, args: string[], options: ContainerSpawnOptions = {}) {
    const process = new FakeProcess(this, command, args, options);
    this.processes.push(process);
    this.onSpawn(process);
    return process;
  }

  on(event: 'server-ready', listener: (port: number, url: string) => void): () => void;
  on(
    event: 'port',
    listener: (port: number, type: 'open' | 'close', url: string) => void,
  ): () => void;
  on(
    event: 'server-ready' | 'port',
    listener:
      | ((port: number, url: string) => void)
      | ((port: number, type: 'open' | 'close', url: string) => void),
  ): () => void {
    const set = (event === 'port' ? this.portListeners : this.serverReadyListeners) as Set<
      typeof listener
    >;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Whether something in the container still listens on the port (a request would be answered). */
  answers(port: number): boolean {
    return this.openPorts.has(port);
  }

  openPort(port: number): void {
    this.openPorts.add(port);
    const url = previewUrl(port);
    for (const listener of this.portListeners) listener(port, 'open', url);
    for (const listener of this.serverReadyListeners) listener(port, url);
  }

  closePort(port: number): void {
    this.openPorts.delete(port);
    for (const listener of this.portListeners) listener(port, 'close', previewUrl(port));
  }

  /** What the real container does when a process starts listening (without tracking the port). */
  emitServerReady(port: number, url = previewUrl(port)): void {
    for (const listener of this.serverReadyListeners) listener(port, url);
  }

  private makeDirectories(path: string): void {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i += 1) this.directories.add(parts.slice(0, i).join('/'));
  }
}

/** Like the real service, the port is part of the preview's host name, so of its origin. */
function previewUrl(port: number): string {
  return `https://fake--${port}.webcontainer.test`;
}

export interface FakeWebContainerApi {
  /** Stand-in for `WebContainer.boot`. */
  boot: BootContainer;
  readonly bootCalls: ContainerBootOptions[];
  readonly container: FakeContainer;
  /** How boots started from now on behave. */
  behaviour: BootBehaviour;
  /** Completes every boot left hanging (as if the network came back). */
  finishHangingBoots(): void;
}

export function createFakeWebContainerApi(): FakeWebContainerApi {
  const container = new FakeContainer();
  const hanging: Array<(value: Container) => void> = [];
  let booted = false;
  const api: FakeWebContainerApi = {
    bootCalls: [],
    container,
    behaviour: { kind: 'succeed' },
    boot: async (options) => {
      api.bootCalls.push(options);
      if (booted) throw new Error('Only a single WebContainer instance can be booted');
      const behaviour = api.behaviour;
      if (behaviour.kind === 'reject') throw behaviour.error;
      if (behaviour.kind === 'hang') {
        return new Promise<Container>((resolve) => hanging.push(resolve));
      }
      booted = true;
      return container;
    },
    finishHangingBoots() {
      booted = true;
      for (const resolve of hanging.splice(0)) resolve(container);
    },
  };
  return api;
}

/**
 * Programs that behave like the kit's: they stop their children on a `shutdown` line and only
 * then exit. Killed without it, their children live on (the container has no process groups).
 */
export const programs = {
  /** `node server.js`: listens on PORT and ignores stdin. */
  server(process: FakeProcess): void {
    queueMicrotask(() => process.listen(process.port));
  },
  /** The balancer: listens on PORT, one instance per SVS_PORTS entry, and optionally a store. */
  balancer(process: FakeProcess, storePort?: number): void {
    queueMicrotask(() => {
      process.listen(process.port);
      const ports = (process.env['SVS_PORTS'] ?? '').split(',').filter(Boolean).map(Number);
      ports.forEach((port, i) => process.startChild(`instance ${i + 1}`, port));
      if (storePort !== undefined) process.startChild('store', storePort);
    });
    stopChildrenOnShutdown(process);
  },
  /** A check run: starts a check server of its own on a port it picked, then a learner server. */
  checkRun(process: FakeProcess, ownPort: number): void {
    queueMicrotask(() => {
      process.startChild('check server', ownPort);
      process.print('running checks\n');
    });
    stopChildrenOnShutdown(process);
  },
};

function stopChildrenOnShutdown(process: FakeProcess): void {
  process.onLine((line) => {
    if (line.trim() !== 'shutdown') return;
    for (const child of process.children) child.exitWith(0);
    process.exitWith(0);
  });
}
