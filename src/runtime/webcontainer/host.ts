/**
 * The page's single WebContainer. `WebContainer.boot` may succeed only once per page, and offline
 * it never settles (its service frame just fails to load), so this module keeps the one underlying
 * boot call alive across attempts and puts each caller's own deadline on top of it: a learner who
 * comes back online and retries waits on the same boot instead of hitting "only one instance".
 */
import { RuntimeError } from '../types.ts';
import type { BootContainer, Container, ContainerBootOptions } from './surface.ts';
import type { BrowserFacts } from './environment.ts';
import {
  GestureRequiredError,
  bootTimedOut,
  classifyBootFailure,
  preflightError,
} from './errors.ts';

export interface AcquireOptions {
  /** Give up (with a RuntimeError) if the container isn't up this long after the call. */
  timeoutMs: number;
  /** Boot only after `grantUserGesture()` or during a click (iPhone and iPad need this). */
  requireGesture: boolean;
  coep: NonNullable<ContainerBootOptions['coep']>;
}

export interface ContainerHost {
  /** The page's container, booting it on first use. Rejects with a RuntimeError. */
  acquire(options: AcquireOptions): Promise<Container>;
  /** Notes that the learner just tapped or clicked, which unlocks boot where a gesture is needed. */
  grantUserGesture(): void;
  /** A port no running sandbox process on this page holds, for `PORT`. */
  allocatePort(): number;
  releasePort(port: number): void;
}

/** Ports handed to sandbox code; away from the usual dev-server ports the kit might pick itself. */
const FIRST_PORT = 4100;
const PORT_COUNT = 800;

export function createContainerHost(
  boot: BootContainer,
  readFacts: () => BrowserFacts,
): ContainerHost {
  let container: Container | null = null;
  let pendingBoot: Promise<Container> | null = null;
  let gestureGranted = false;
  const portsInUse = new Set<number>();
  let nextPortOffset = 0;

  function startBoot(coep: AcquireOptions['coep']): Promise<Container> {
    pendingBoot ??= boot({ coep, workdirName: 'course' }).then(
      (booted) => {
        container = booted;
        return booted;
      },
      (error: unknown) => {
        // A failed boot frees the slot, so a later attempt really boots again.
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
    if (options.requireGesture && !gestureGranted && !facts.userActivationActive) {
      throw new GestureRequiredError();
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(bootTimedOut(options.timeoutMs, facts)), options.timeoutMs);
    });
    try {
      return await Promise.race([startBoot(options.coep), deadline]);
    } catch (error) {
      throw error instanceof RuntimeError ? error : classifyBootFailure(error);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    acquire,
    grantUserGesture() {
      gestureGranted = true;
    },
    allocatePort() {
      for (let tried = 0; tried < PORT_COUNT; tried += 1) {
        const port = FIRST_PORT + ((nextPortOffset + tried) % PORT_COUNT);
        if (!portsInUse.has(port)) {
          nextPortOffset = (port - FIRST_PORT + 1) % PORT_COUNT;
          portsInUse.add(port);
          return port;
        }
      }
      throw new RuntimeError('failed', 'Too many processes are running. Stop some and try again.');
    },
    releasePort(port) {
      portsInUse.delete(port);
    },
  };
}
