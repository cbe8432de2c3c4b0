/**
 * Small network helpers every kit process needs: a free port, "is anything listening there?", and
 * a promise-based sleep. Node built-ins only; Node 20 and 22.
 */
import net from 'node:net';
import { candidatePort, releaseLease, takeLease } from './port-lease.mjs';

export const LOOPBACK = '127.0.0.1';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Binds `port` on `host` (0: any), closes it, and gives the port it got, or null if refused. */
function probeBind(port, host) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(null));
    probe.listen(port, host, () => {
      const bound = probe.address().port;
      probe.close(() => resolve(bound));
    });
  });
}

/**
 * A port that is free on `host` and that no other kit process holds, leased to this process until
 * it exits (see port-lease.mjs for why a bare `listen(0)` is not enough).
 */
export async function freePort(host = LOOPBACK) {
  for (let attempt = 0; attempt < 64; attempt++) {
    const port = candidatePort();
    if (!takeLease(port)) continue;
    if ((await probeBind(port, host)) !== null) return port;
    releaseLease(port);
  }
  // The leased range is somehow full: any port the OS calls free is better than none.
  const any = await probeBind(0, host);
  if (any === null) throw new Error(`no free port on ${host}`);
  return any;
}

/** True when a TCP connection to host:port succeeds within `timeoutMs`. */
export function canConnect(port, { host = LOOPBACK, timeoutMs = 500 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(timeoutMs, () => done(false));
  });
}

/** Copies a child's output line by line with a prefix, so its lines can never pass for events. */
export function relayLines(stream, prefix, target) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) target.write(`${prefix}${line}\n`);
  });
  stream.on('end', () => {
    if (partial) target.write(`${prefix}${partial}\n`);
  });
}
