/**
 * The page's single WebContainer. `WebContainer.boot` may succeed only once per page, and offline
 * it never settles (its service frame just fails to load), so this module keeps the one underlying
 * boot call alive and puts each caller's own deadline on top of it. A service frame that loaded
 * but never answered ends the wait early (see service-frame.ts).
 *
 * It also hands out ports. A lab's main process gets the same port every time on this page, and
 * labs get different ones: WebContainer's preview origin contains the port, so a stable port keeps
 * the preview's cookies across restarts and distinct ports keep labs' cookies apart.
 */
import { RuntimeError } from '../types.ts';
import type { BootContainer, Container, ContainerBootOptions } from './surface.ts';
import type { BrowserFacts } from './environment.ts';
import { bootTimedOut, classifyBootFailure, preflightError, serviceFrameFailed } from './errors.ts';
import type { ServiceFrameWatch } from './service-frame.ts';

export interface AcquireOptions {
  /** Give up (with a RuntimeError) if the container isn't up this long after the call. */
  timeoutMs: number;
  coep: NonNullable<ContainerBootOptions['coep']>;
  /** Called when this call has to wait for the container to boot (the browser can run it). */
  onBooting?: () => void;
}

export interface ContainerHost {
  /** The page's container, booting it on first use. Rejects with a RuntimeError. */
  acquire(options: AcquireOptions): Promise<Container>;
  /**
   * A port no running sandbox process on this page holds, for `PORT` or `SVS_PORTS`. With a site
   * (a lab's id), the same port as last time for that site, chosen so labs differ.
   */
  allocatePort(site?: string): number;
  releasePort(port: number): void;
}

/** Ports handed to sandbox code; away from the usual dev-server ports the kit might pick itself. */
const FIRST_PORT = 4100;
const PORT_COUNT = 800;
/** Site ports come from the upper half, so ordinary allocations rarely sit on a lab's port. */
const SITE_PORTS_FROM = 400;

/** A small stable hash (FNV-1a) of a lab id: the same lab gets the same port on every page. */
function siteOffset(site: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < site.length; i += 1) {
    hash ^= site.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return SITE_PORTS_FROM + (hash % (PORT_COUNT - SITE_PORTS_FROM));
}

export function createContainerHost(
  boot: BootContainer,
  readFacts: () => BrowserFacts,
  watchFrame: () => ServiceFrameWatch = () => ({ failed: new Promise(() => {}), stop() {} }),
): ContainerHost {
  let container: Container | null = null;
  let pendingBoot: Promise<Container> | null = null;
  let frameFailure: RuntimeError | null = null;
  /** Rejects with the frame's failure once the watch reports it; never settles otherwise. */
  let frameFailed: Promise<never> = new Promise(() => {});
  const portsInUse = new Set<number>();
  const sitePorts = new Map<string, number>();
  let nextPortOffset = 0;

  function startBoot(coep: AcquireOptions['coep']): Promise<Container> {
    if (pendingBoot) return pendingBoot;
    const watch = watchFrame();
    frameFailed = watch.failed.then(() => {
      frameFailure ??= serviceFrameFailed(readFacts());
      throw frameFailure;
    });
    frameFailed.catch(() => {}); // observed by acquire(); not an unhandled rejection meanwhile
    pendingBoot = boot({ coep, workdirName: 'course' }).then(
      (booted) => {
        watch.stop();
        container = booted;
        frameFailure = null;
        return booted;
      },
      (error: unknown) => {
        // A failed boot frees the slot, so a later attempt really boots again.
        watch.stop();
        pendingBoot = null;
        throw error;
      },
    );
    return pendingBoot;
  }

  async function acquire(options: AcquireOptions): Promise<Container> {
    if (container) return container;
    const facts = readFacts();
    const blocked = preflightError(facts);
    if (blocked) throw blocked;
    // The service's frame already failed on this page; the API would reuse it, so don't wait again.
    if (frameFailure) throw frameFailure;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(bootTimedOut(options.timeoutMs, facts)), options.timeoutMs);
    });
    options.onBooting?.();
    const booting = startBoot(options.coep);
    try {
      return await Promise.race([booting, deadline, frameFailed]);
    } catch (error) {
      throw error instanceof RuntimeError ? error : classifyBootFailure(error);
    } finally {
      clearTimeout(timer);
    }
  }

  function take(port: number): number {
    portsInUse.add(port);
    return port;
  }

  function nextFree(fromOffset: number): number | null {
    for (let tried = 0; tried < PORT_COUNT; tried += 1) {
      const port = FIRST_PORT + ((fromOffset + tried) % PORT_COUNT);
      if (!portsInUse.has(port)) return port;
    }
    return null;
  }

  return {
    acquire,
    allocatePort(site) {
      if (site !== undefined) {
        const known = sitePorts.get(site);
        if (known !== undefined && !portsInUse.has(known)) return take(known);
        const port = nextFree(siteOffset(site));
        if (port === null) throw tooMany();
        sitePorts.set(site, port);
        return take(port);
      }
      const port = nextFree(nextPortOffset);
      if (port === null) throw tooMany();
      nextPortOffset = (port - FIRST_PORT + 1) % PORT_COUNT;
      return take(port);
    },
    releasePort(port) {
      portsInUse.delete(port);
    },
  };
}

function tooMany(): RuntimeError {
  return new RuntimeError('failed', 'Too many processes are running. Stop some and try again.');
}
