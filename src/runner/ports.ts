import { connect, createServer } from 'node:net';

/**
 * Ports come from the OS (listen on 0), and the runner remembers which ones it handed out so that
 * (a) two sandboxes never get the same port while both hold it and (b) the preview proxy can refuse
 * any port it did not allocate.
 */
export class PortRegistry {
  private readonly held = new Set<number>();

  async allocate(): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await osFreePort();
      // A process that escaped its stop may still serve the port on another address; skip it.
      if (!this.held.has(port) && !(await answers(port))) {
        this.held.add(port);
        return port;
      }
    }
    throw new Error('could not find a free port');
  }

  /** Takes a specific port again if nobody here holds it and the OS has it free. */
  async claim(port: number): Promise<boolean> {
    if (this.held.has(port)) return false;
    this.held.add(port);
    if (await isFree(port)) return true;
    this.held.delete(port);
    return false;
  }

  release(port: number): void {
    this.held.delete(port);
  }

  isAllocated(port: number): boolean {
    return this.held.has(port);
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a TCP connection on 127.0.0.1:port right now. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves once something accepts TCP connections on 127.0.0.1:port; stops trying when aborted.
 * Polls fast at first (servers usually listen within ~50 ms), then slowly, so a process that never
 * listens does not cost a connection attempt every few milliseconds for its whole life.
 */
export function waitUntilListening(port: number, signal: AbortSignal): Promise<boolean> {
  const started = Date.now();
  return new Promise((resolve) => {
    const attempt = () => {
      const intervalMs = Date.now() - started < 2_000 ? 15 : 250;
      if (signal.aborted) return resolve(false);
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        socket.destroy();
        setTimeout(attempt, intervalMs);
      });
    };
    attempt();
  });
}
