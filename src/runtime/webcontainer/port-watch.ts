/**
 * Which ports are open in the container, from its `port` events. After a process is stopped, its
 * ports should close; one that stays open means a child (an instance, the store) outlived it,
 * which the page must say, since nothing else would ever stop it.
 */
import type { Container } from './surface.ts';

export interface PortWatch {
  /** The ports of `ports` still open after waiting up to `graceMs` for them to close. */
  waitClosed(ports: readonly number[], graceMs: number): Promise<number[]>;
  stop(): void;
}

export function createPortWatch(container: Pick<Container, 'on'>): PortWatch {
  const open = new Set<number>();
  const waiters = new Set<() => void>();
  const unsubscribe = container.on('port', (port, type) => {
    if (type === 'open') open.add(port);
    else open.delete(port);
    for (const wake of waiters) wake();
  });
  return {
    waitClosed(ports, graceMs) {
      const stillOpen = () => ports.filter((port) => open.has(port));
      if (stillOpen().length === 0) return Promise.resolve([]);
      return new Promise((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(stillOpen());
        };
        const check = () => {
          if (stillOpen().length === 0) finish();
        };
        const timer = setTimeout(finish, graceMs);
        waiters.add(check);
      });
    },
    stop() {
      unsubscribe();
      waiters.clear();
    },
  };
}
