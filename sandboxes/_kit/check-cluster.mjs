/**
 * Check helpers, part 5: a cluster, the kit's load balancer in front of N instances of the
 * learner's server, optionally with the store beside them and the shared cache in front. Node
 * built-ins only; Node 20 and 22.
 */
import path from 'node:path';
import {
  HOST,
  KIT_DIR,
  OUTPUT_LIMIT,
  launch,
  learnerEnv,
  waitUntilListening,
} from './check-process.mjs';
import { storeControl } from './check-store.mjs';
import { eventChannel, eventLines } from './check-wait.mjs';
import { freePort } from './net.mjs';
import { EVENT_MARKER } from './protocol.mjs';

function balancerArgs({ entry, instances, strategy, hashKey, health, cache, store }) {
  const args = ['--instances', String(instances), '--strategy', strategy];
  if (hashKey) args.push('--hash-key', hashKey);
  if (health) {
    const { path: healthPath = '/health', intervalMs } =
      typeof health === 'string' ? { path: health } : health === true ? {} : health;
    args.push('--health', healthPath);
    if (intervalMs) args.push('--health-interval', String(intervalMs));
  }
  if (store) args.push('--store');
  if (cache) args.push('--cache');
  return [path.join(KIT_DIR, 'balancer.mjs'), ...args, entry];
}

/** The balancer itself quit while starting (code 1: it could not listen), not the learner's code. */
class BalancerQuitError extends Error {}

/**
 * Starts the cluster, and starts it again on a fresh port (at most twice) if the balancer itself
 * quits while starting. Its PORT comes from freePort(), which closes the port before the balancer
 * opens it again: on a busy machine an outgoing connection of another process can take the port
 * in between (EADDRINUSE). The learner's code cannot make the balancer quit, so a retry never
 * turns a wrong answer into a pass.
 */
export async function startCluster(options = {}) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startClusterOnce(options);
    } catch (error) {
      if (!(error instanceof BalancerQuitError) || attempt === 3) throw error;
    }
  }
}

async function startClusterOnce({
  entry = 'server.js',
  instances = 3,
  strategy = 'round-robin',
  hashKey,
  health = false,
  cache = false,
  store = false,
  env = {},
  readyTimeoutMs = 15000,
} = {}) {
  const port = await freePort();
  const table = new Map();
  let plainOutput = '';
  const channel = eventChannel({
    onEvent: (event) => {
      if (event.type !== 'instance') return;
      const before = table.get(event.instance) ?? {};
      table.set(event.instance, {
        ...before,
        n: event.instance,
        port: event.port,
        url: `http://${HOST}:${event.port}`,
        state: event.state,
        latencyMs: event.latencyMs ?? before.latencyMs ?? 0,
      });
    },
  });
  const onLine = eventLines(channel, EVENT_MARKER, (line) => {
    plainOutput = (plainOutput + line + '\n').slice(-OUTPUT_LIMIT);
  });
  const args = balancerArgs({ entry, instances, strategy, hashKey, health, cache, store });
  const proc = launch(args, learnerEnv({ ...env, PORT: String(port), HOST }), {
    stdin: 'pipe',
    onLine,
  });
  const output = () => plainOutput;
  const events = channel.events;
  const next = (match, what, { from = events.length, timeoutMs = readyTimeoutMs, problem } = {}) =>
    channel.next(match, { from, timeoutMs, what, proc, output, problem });
  const isInstance = (n, state) => (e) =>
    e.type === 'instance' && e.instance === n && (state === undefined || e.state === state);
  const exitedProblem = (n, from) => () =>
    events.slice(from).some((e) => isInstance(n, 'down')(e) && e.reason === 'exited')
      ? `Instance ${n} of your server stopped while starting.`
      : null;

  const upCount = () => [...table.values()].filter((i) => i.state === 'up').length;
  try {
    await next(
      () => upCount() === instances,
      `Not all ${instances} instances of your server started listening on PORT`,
      {
        from: 0,
        problem: () => {
          const crashed = events.find((e) => e.type === 'instance' && e.reason === 'exited');
          return crashed
            ? `Instance ${crashed.instance} of your server stopped before it started listening on PORT.`
            : null;
        },
      },
    );
  } catch (error) {
    if (proc.exitInfo?.code === 1) {
      await proc.stop();
      throw new BalancerQuitError(error.message, { cause: error });
    }
    throw error;
  }
  await waitUntilListening(proc, port, readyTimeoutMs, 'The load balancer');

  const send = (line) => proc.child.stdin.write(`${line}\n`);
  const command = async (line, match, what, options) => {
    const from = events.length;
    send(line);
    return next(match, what, { from, ...options });
  };

  return {
    url: `http://${HOST}:${port}`,
    port,
    get instances() {
      return [...table.values()].sort((a, b) => a.n - b.n).map((i) => ({ ...i }));
    },
    /** A crash: SIGKILL, no goodbye. */
    kill: (n) => command(`kill ${n}`, isInstance(n, 'down'), `Instance ${n} did not stop`),
    start: (n) => {
      const from = events.length;
      return command(
        `start ${n}`,
        isInstance(n, 'up'),
        `Instance ${n} did not start listening on PORT`,
        {
          problem: exitedProblem(n, from),
        },
      );
    },
    /** A drain, then a start: what one step of a rolling restart does. */
    restart: (n) =>
      command(
        `restart ${n}`,
        isInstance(n, 'up'),
        `Instance ${n} did not come back after a restart`,
        {
          timeoutMs: readyTimeoutMs + 20_000,
        },
      ),
    /**
     * No new requests for instance n; in-flight ones finish; then it gets `shutdown` and has to
     * exit. Resolves with { forced } once it is down: forced is true when the kit had to kill it.
     */
    async drain(n, { deadlineMs = 10_000, timeoutMs = deadlineMs + 10_000 } = {}) {
      const down = await command(
        `drain ${n} ${Math.round(deadlineMs)}ms`,
        (e) => isInstance(n, 'down')(e) && e.reason !== undefined,
        `Instance ${n} did not finish draining`,
        { timeoutMs },
      );
      return { forced: down.reason !== 'drained' };
    },
    /** Adds `ms` of latency in front of instance n (0 to undo). */
    latency: (n, ms) =>
      command(
        `latency ${n} ${ms}ms`,
        (e) => isInstance(n)(e) && e.latencyMs === ms,
        `Instance ${n} did not take the latency`,
      ),
    /** Waits until instance n reports `state` (starting, up, unhealthy, draining, down). */
    waitForState: (n, state, { timeoutMs = readyTimeoutMs } = {}) =>
      next(() => table.get(n)?.state === state, `Instance ${n} did not become ${state}`, {
        from: 0,
        timeoutMs,
      }),
    /** Waits for an event line that `match`es, printed from now on (or from index `from`). */
    waitForEvent: (match, { what = 'The expected event did not arrive', timeoutMs, from } = {}) =>
      next(match, what, { timeoutMs, from }),
    store: store ? storeControl({ proc, channel, timeoutMs: readyTimeoutMs, output }) : null,
    cache: cache
      ? {
          /** The cache's latest counters: { hits, misses, revalidated, stored, hitRatio, entries }. */
          stats: () => events.filter((e) => e.type === 'cache').at(-1) ?? null,
          /** Asks for fresh counters. */
          refresh: () =>
            command(
              'cache stats',
              (e) => e.type === 'cache',
              'The cache did not report its counters',
            ),
        }
      : null,
    events: () => events.slice(),
    requests: () => events.filter((e) => e.type === 'request'),
    /** Event lines travel separately from the HTTP answers: wait until `count` requests are in. */
    async waitForRequests(count, timeoutMs = 2000) {
      const requests = () => events.filter((e) => e.type === 'request');
      await next(
        () => requests().length >= count,
        `The load balancer did not report ${count} request(s)`,
        {
          from: 0,
          timeoutMs,
        },
      );
      return requests();
    },
    output,
    stop: () => proc.stop(),
  };
}
