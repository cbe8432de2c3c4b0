/**
 * Check helpers, part 4: the kit's store, started for a check and controlled from it. Node
 * built-ins only; Node 20 and 22.
 */
import path from 'node:path';
import { HOST, KIT_DIR, launch, learnerEnv, waitUntilListening } from './check-process.mjs';
import { eventChannel, eventLines } from './check-wait.mjs';
import { freePort } from './net.mjs';
import { EVENT_MARKER } from './protocol.mjs';

/**
 * Controls a store through the stdin of the process that runs it (store.mjs or the balancer),
 * and reads its answers from the event lines it prints.
 */
export function storeControl({ proc, channel, timeoutMs, output }) {
  const control = (line, match, what) => {
    const from = channel.events.length;
    proc.child.stdin.write(`store ${line}\n`);
    return channel.next((e) => e.type === 'store' && match(e), {
      from,
      timeoutMs,
      what,
      proc,
      output,
    });
  };
  const done = () => {};
  const numbers = ({ commands, total, errors, opsPerSecond, keys }) => ({
    commands,
    total,
    errors,
    opsPerSecond,
    keys,
  });
  const latest = () => channel.events.filter((e) => e.type === 'store').at(-1) ?? null;
  return {
    get url() {
      const last = latest();
      return last ? `http://${HOST}:${last.port}` : null;
    },
    get port() {
      return latest()?.port ?? null;
    },
    /** 'up' or 'down', as last reported. */
    get state() {
      return latest()?.state ?? 'down';
    },
    /** Closes the store's port. keepData: true is persistence on; false loses every key. */
    stop: ({ keepData = true } = {}) =>
      control(
        `stop ${keepData ? 'keep-data' : 'lose-data'}`,
        (e) => e.state === 'down',
        'The store did not stop',
      ).then(done),
    /** Opens the same port again. */
    start: () => control('start', (e) => e.state === 'up', 'The store did not start').then(done),
    /** { commands: { GET: 3, SET: 1 }, total, errors, opsPerSecond, keys } */
    counters: async () =>
      numbers(await control('stats', () => true, 'The store did not report its counters')),
    resetCounters: () =>
      control('stats reset', (e) => e.total === 0, 'The store did not reset its counters').then(
        done,
      ),
    /** Answers every command `ms` later (0 to undo). */
    delay: (ms) =>
      control(`delay ${ms}ms`, (e) => e.delayMs === ms, 'The store did not take the delay').then(
        done,
      ),
    /** 'refuse' resets every connection, 'hang' never answers, 'off' is back to normal. */
    fault: (mode) =>
      control(
        `fault ${mode}`,
        (e) => e.fault === (mode === 'off' ? null : mode),
        'The store did not switch its fault mode',
      ).then(done),
    flush: () => control('flush', (e) => e.keys === 0, 'The store did not flush').then(done),
  };
}

/**
 * Runs _kit/store.mjs on a fresh port. Give its url to a server as STORE_URL. Besides the
 * controls above: output(), and kill() to end the store process itself.
 */
export async function startStore({ readyTimeoutMs = 5000 } = {}) {
  const port = await freePort();
  const channel = eventChannel();
  const proc = launch([path.join(KIT_DIR, 'store.mjs')], learnerEnv({ PORT: String(port), HOST }), {
    stdin: 'pipe',
    onLine: eventLines(channel, EVENT_MARKER),
  });
  await waitUntilListening(proc, port, readyTimeoutMs, 'The store');
  const control = storeControl({
    proc,
    channel,
    timeoutMs: readyTimeoutMs,
    output: () => proc.output,
  });
  return Object.defineProperties(control, {
    url: { value: `http://${HOST}:${port}`, enumerable: true },
    port: { value: port, enumerable: true },
    output: { value: () => proc.output },
    kill: { value: () => proc.stop() },
  });
}
