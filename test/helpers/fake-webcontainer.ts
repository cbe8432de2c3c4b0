/**
 * An in-memory stand-in for exactly the `@webcontainer/api` surface the WebContainer backend uses
 * (src/runtime/webcontainer/surface.ts): boot, fs.{readFile,writeFile,mkdir,rm}, mount, spawn and
 * the `server-ready` event. Like the real API, `mount` adds files and never removes any, and boot
 * may succeed only once.
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
  killCalls = 0;
  private finish: (code: number) => void = () => {};
  private out: ReadableStreamDefaultController<string> | null = null;

  constructor(
    readonly command: string,
    readonly args: string[],
    readonly options: ContainerSpawnOptions,
    /** Whether kill() makes the process report an exit code (the real one may not). */
    private readonly exitsOnKill: boolean,
  ) {
    this.exit = new Promise((resolve) => {
      this.finish = resolve;
    });
    this.output = new ReadableStream({ start: (controller) => void (this.out = controller) });
    this.input = new WritableStream({ write: (chunk) => void this.stdin.push(chunk) });
  }

  print(text: string): void {
    this.out?.enqueue(text);
  }

  exitWith(code: number): void {
    this.out?.close();
    this.out = null;
    this.finish(code);
  }

  kill(): void {
    this.killCalls += 1;
    if (this.exitsOnKill) this.exitWith(130);
  }
}

export class FakeContainer implements Container {
  readonly files = new Map<string, string>();
  readonly directories = new Set<string>(['']);
  readonly processes: FakeProcess[] = [];
  /** Runs for every spawn, so a test can script what the "program" does. */
  onSpawn: (process: FakeProcess) => void = () => {};
  exitsOnKill = true;
  private readonly serverReadyListeners = new Set<(port: number, url: string) => void>();

  readonly fs = {
    readFile: async (path: string, _encoding: 'utf-8'): Promise<string> => {
      const contents = this.files.get(path);
      if (contents === undefined)
        throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return contents;
    },
    writeFile: async (path: string, data: string): Promise<void> => {
      if (!this.directories.has(parentOf(path))) throw new Error(`ENOENT: '${path}'`);
      this.files.set(path, data);
    },
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
    const process = new FakeProcess(command, args, options, this.exitsOnKill);
    this.processes.push(process);
    this.onSpawn(process);
    return process;
  }

  on(_event: 'server-ready', listener: (port: number, url: string) => void): () => void {
    this.serverReadyListeners.add(listener);
    return () => this.serverReadyListeners.delete(listener);
  }

  /** What the real container does when a process starts listening. */
  emitServerReady(port: number, url = `https://fake-${port}.webcontainer.test`): void {
    for (const listener of this.serverReadyListeners) listener(port, url);
  }

  private makeDirectories(path: string): void {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i += 1) this.directories.add(parts.slice(0, i).join('/'));
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
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
