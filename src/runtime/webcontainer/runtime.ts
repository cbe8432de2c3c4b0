/**
 * The Runtime contract on top of the page's shared WebContainer.
 *
 * Each runtime keeps its files in its own folder of the container's workdir, so `mount` can make
 * the tree exact (WebContainer's own mount only adds files) and teardown can clear it without
 * rebooting: the container is expensive to boot and can't be booted twice on a page.
 *
 * HOST: sandbox code binds `process.env.HOST`. We pass 127.0.0.1, as the local runner does, and
 * not `localhost` (Node may resolve it to ::1 while the kit's helpers dial 127.0.0.1) nor 0.0.0.0
 * (there is no outside network in a container to expose it to). WebContainer's virtual network
 * routes previews to loopback listeners, so `server-ready` still fires. The `host` option exists
 * in case a browser proves otherwise.
 */
import {
  RuntimeError,
  type BootProgress,
  type FileTree,
  type Runtime,
  type ServerReadyEvent,
} from '../types.ts';
import type { RuntimeProcess, SpawnOptions } from '../types.ts';
import type { Container } from './surface.ts';
import type { AcquireOptions, ContainerHost } from './host.ts';
import { sandboxPathParts, toContainerTree } from './tree.ts';
import { wrapProcess, type ProcessTimings } from './process.ts';
import { createPortWatch, type PortWatch } from './port-watch.ts';

export interface WebContainerRuntimeOptions {
  /** Give up booting after this long; default 20 s. */
  bootTimeoutMs?: number;
  /** The COEP mode the page is served with; WebContainer must match it. */
  coep?: AcquireOptions['coep'];
  /** What sandbox code gets as HOST; see the note at the top of this file. */
  host?: string;
  shutdownGraceMs?: number;
  killGraceMs?: number;
  outputDrainMs?: number;
  /** How long a stopped process's ports may take to close before they count as left behind. */
  portCloseGraceMs?: number;
}

export const DEFAULT_BOOT_TIMEOUT_MS = 20_000;

let runtimeCount = 0;

export function createRuntimeOnHost(
  containerHost: ContainerHost,
  options: WebContainerRuntimeOptions = {},
): Runtime {
  runtimeCount += 1;
  const root = `sandbox-${runtimeCount}`;
  const bindHost = options.host ?? '127.0.0.1';
  const timings: ProcessTimings = {
    shutdownGraceMs: options.shutdownGraceMs ?? 300,
    killGraceMs: options.killGraceMs ?? 2_000,
    outputDrainMs: options.outputDrainMs ?? 1_000,
  };
  const portCloseGraceMs = options.portCloseGraceMs ?? 1_000;
  const acquireOptions: AcquireOptions = {
    timeoutMs: options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS,
    coep: options.coep ?? 'require-corp',
  };

  let booting: Promise<void> | null = null;
  let container: Container | null = null;
  let ports: PortWatch | null = null;
  let stopListening: (() => void) | null = null;
  const listeners = new Set<(event: ServerReadyEvent) => void>();
  const ownPorts = new Set<number>();
  const running = new Set<RuntimeProcess>();

  const inSandbox = (path: string): string => [root, ...sandboxPathParts(path)].join('/');

  function ready(): Container {
    if (!container) throw new RuntimeError('failed', 'The runtime isn’t started yet.');
    return container;
  }

  async function start(onStep: (progress: BootProgress) => void): Promise<void> {
    // Named only when there is a wait: the page's container may be up already (another lab).
    const booted = await containerHost.acquire({
      ...acquireOptions,
      onBooting: () => onStep({ kind: 'webcontainer', step: 'booting' }),
    });
    await booted.fs.mkdir(root, { recursive: true });
    // Only ports this runtime handed out count: a check's own test server mustn't take over
    // the preview, and neither must another runtime's server on the same page.
    const stopReady = booted.on('server-ready', (port, url) => {
      if (!ownPorts.has(port)) return;
      for (const listener of listeners) listener({ port, url });
    });
    ports = createPortWatch(booted);
    stopListening = () => {
      stopReady();
      ports?.stop();
    };
    container = booted;
  }

  function allocate(count: number, site?: string): number[] {
    const given: number[] = [];
    try {
      for (let i = 0; i < count; i += 1)
        given.push(containerHost.allocatePort(i === 0 ? site : undefined));
    } catch (error) {
      for (const port of given) containerHost.releasePort(port);
      throw error;
    }
    for (const port of given) ownPorts.add(port);
    return given;
  }

  return {
    kind: 'webcontainer',

    boot(onStep = () => {}) {
      booting ??= start(onStep).catch((error: unknown) => {
        booting = null; // let the learner retry (for example back online)
        throw error;
      });
      return booting;
    },

    async mount(tree: FileTree) {
      const fs = ready().fs;
      const nested = toContainerTree(tree); // throws before anything is removed
      await fs.rm(root, { recursive: true, force: true });
      await fs.mkdir(root, { recursive: true });
      await ready().mount(nested, { mountPoint: root });
    },

    async spawn(command: string, args: readonly string[], spawnOptions: SpawnOptions = {}) {
      const booted = ready();
      const cwd = spawnOptions.cwd ? inSandbox(spawnOptions.cwd) : root;
      const given = allocate(1 + (spawnOptions.extraPorts ?? 0), spawnOptions.site);
      const [port, ...extra] = given as [number, ...number[]];
      const release = (): void => {
        for (const p of given) {
          ownPorts.delete(p);
          containerHost.releasePort(p);
        }
      };
      const env: Record<string, string> = {
        ...spawnOptions.env,
        PORT: String(port),
        HOST: bindHost,
      };
      if (extra.length) env['SVS_PORTS'] = extra.join(',');
      let raw;
      try {
        raw = await booted.spawn(command, [...args], { cwd, env });
      } catch (error) {
        release();
        throw new RuntimeError('failed', `Couldn’t start ${command}: ${String(error)}`, {
          cause: error,
        });
      }
      const watch = ports;
      const process = wrapProcess(raw, {
        port,
        label: [command, ...args].join(' '),
        timings,
        onExit: () => {
          release();
          running.delete(process);
        },
        afterStop: async () => {
          const left = (await watch?.waitClosed(given, portCloseGraceMs)) ?? [];
          if (left.length === 0) return;
          const names = left.map((p) => (p === port ? `its own PORT ${p}` : `port ${p}`));
          throw new RuntimeError(
            'still-running',
            `\`${[command, ...args].join(' ')}\` stopped, but something it started still answers on ${names.join(' and ')}. Reload the page to clear it.`,
          );
        },
      });
      running.add(process);
      return process;
    },

    onServerReady(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async teardown() {
      await booting?.catch(() => {});
      await Promise.allSettled([...running].map((process) => process.kill()));
      stopListening?.();
      stopListening = null;
      // The container stays up for the next boot; only this runtime's files go.
      await container?.fs.rm(root, { recursive: true, force: true }).catch(() => {});
      container = null;
      booting = null;
    },
  };
}
