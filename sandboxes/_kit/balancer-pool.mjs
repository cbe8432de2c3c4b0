/**
 * The kit balancer's instances: starting, killing, draining and health-checking copies of the
 * learner's server, each on its own port. Every state change is an event line. Node built-ins only.
 *
 * States: starting -> up <-> unhealthy; up|unhealthy -> draining -> down; any -> down (killed,
 * exited). With health checks on, an instance is `up` only once its health path answers 2xx.
 */
import http from 'node:http';
import { spawnNode, stopChild } from './lifecycle.mjs';
import { canConnect, freePort, relayLines, sleep } from './net.mjs';

const INSTANCE_HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
/** How long a draining instance may keep requests in flight, then to exit after `shutdown`. */
export const DRAIN_DEADLINE_MS = 10_000;
export const EXIT_DEADLINE_MS = 5_000;

/** GET the health path: resolves true for a 2xx, false otherwise (with the reason). */
function probe(port, path, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get(
      { host: INSTANCE_HOST, port, path, agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        resolve({ ok, why: `${path} answered ${res.statusCode}` });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${path} did not answer within ${timeoutMs} ms`)),
    );
    req.on('error', (error) =>
      resolve({
        ok: false,
        why: error.code === 'ECONNREFUSED' ? 'refused the connection' : error.message,
      }),
    );
  });
}

export function createPool({ count, entry, ports = [], health, emit, say, env = () => ({}) }) {
  const instances = Array.from({ length: count }, (_, i) => ({
    n: i + 1,
    port: ports[i] || 0,
    state: 'down',
    child: null,
    exited: null,
    inFlight: 0,
    latencyMs: 0,
  }));
  let closing = false;

  function setState(instance, state, reason) {
    instance.state = state;
    const event = {
      type: 'instance',
      instance: instance.n,
      state,
      port: instance.port,
      latencyMs: instance.latencyMs,
    };
    if (reason) event.reason = reason;
    emit(event);
  }

  // A probe may take longer than the interval on a busy machine: slow is not the same as sick.
  const probeTimeoutMs = health ? Math.max(1000, health.intervalMs) : 0;
  const ready = async (instance) =>
    health
      ? (await probe(instance.port, health.path, probeTimeoutMs)).ok
      : canConnect(instance.port);

  async function start(instance) {
    if (instance.state !== 'down')
      return say(`instance ${instance.n} is already ${instance.state}`);
    if (instance.exited) await instance.exited; // the old process must let go of the port first
    if (!instance.port) instance.port = await freePort();
    const child = spawnNode([entry], {
      env: {
        ...process.env,
        ...env(),
        PORT: String(instance.port),
        HOST: INSTANCE_HOST,
        INSTANCE: String(instance.n),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.on('error', () => {}); // writing to an instance that just died is not an error
    instance.child = child;
    instance.inFlight = 0;
    setState(instance, 'starting');
    relayLines(child.stdout, `[${instance.n}] `, process.stdout);
    relayLines(child.stderr, `[${instance.n}] `, process.stderr);
    instance.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        say(`instance ${instance.n} could not start: ${error.message}`);
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (instance.child === child) {
          instance.child = null;
          // A draining instance's exit is reported by drain(), with the reason it knows.
          if (instance.state !== 'down' && instance.state !== 'draining') {
            if (!closing) say(`instance ${instance.n} stopped (${signal || `exit code ${code}`})`);
            setState(instance, 'down', closing ? 'stopped' : 'exited');
          }
        }
        resolve();
      });
    });

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (instance.child === child && instance.state === 'starting') {
      if (await ready(instance)) {
        if (instance.child === child && instance.state === 'starting') setState(instance, 'up');
        return undefined;
      }
      if (Date.now() > deadline) {
        const what = health ? `answer ${health.path} with 2xx` : 'listen on its PORT';
        say(
          `instance ${instance.n} did not ${what} (port ${instance.port}) within 30 s; stopping it`,
        );
        setState(instance, 'down', 'exited');
        child.kill('SIGKILL');
        return undefined;
      }
      await sleep(50);
    }
    return undefined;
  }

  function kill(instance) {
    if (instance.state === 'down') return say(`instance ${instance.n} is already down`);
    // Marked down first so no new request is routed to it while it dies.
    setState(instance, 'down', 'killed');
    instance.child?.kill('SIGKILL');
    return undefined;
  }

  /** No new requests; in-flight ones finish; then `shutdown` (and SIGTERM) and wait for the exit. */
  async function drain(instance, deadlineMs = DRAIN_DEADLINE_MS) {
    if (instance.state === 'down' || instance.state === 'draining') {
      return say(`instance ${instance.n} is already ${instance.state}`);
    }
    const child = instance.child;
    setState(instance, 'draining', 'drain');
    const deadline = Date.now() + deadlineMs;
    while (instance.inFlight > 0 && Date.now() < deadline && instance.child === child)
      await sleep(20);
    if (instance.child !== child) {
      if (instance.state === 'draining') setState(instance, 'down', 'exited'); // died meanwhile
      return undefined;
    }
    let reason = 'drained';
    if (instance.inFlight > 0) {
      say(
        `instance ${instance.n} still had ${instance.inFlight} request(s) in flight after ${deadlineMs / 1000} s; killing it`,
      );
      reason = 'drain-deadline';
      await stopChild(child, { graceMs: 0 });
    } else {
      child.stdin.write('shutdown\n');
      const timer = setTimeout(() => {
        say(
          `instance ${instance.n} did not exit within ${EXIT_DEADLINE_MS / 1000} s of shutdown; killing it`,
        );
        reason = 'exit-deadline';
        child.kill('SIGKILL');
      }, EXIT_DEADLINE_MS);
      child.kill('SIGTERM'); // exits a server that ignores stdin; a graceful one closes first
      await instance.exited;
      clearTimeout(timer);
    }
    if (instance.child === child) instance.child = null;
    if (instance.state === 'draining') setState(instance, 'down', reason);
    return undefined;
  }

  async function restart(instance) {
    if (instance.state !== 'down') await drain(instance);
    await start(instance);
  }

  function setLatency(instance, ms) {
    instance.latencyMs = ms;
    setState(instance, instance.state, 'latency');
  }

  /** Health checks: an `up` instance that fails is taken out; an `unhealthy` one that passes is back. */
  function checkHealth() {
    if (!health) return;
    // One round at a time: the next starts an interval after the last one finished.
    const round = async () => {
      await Promise.all(
        instances.map(async (instance) => {
          if (instance.state !== 'up' && instance.state !== 'unhealthy') return;
          const { ok, why } = await probe(instance.port, health.path, probeTimeoutMs);
          if (instance.state === 'up' && !ok) {
            say(`instance ${instance.n} failed its health check (${why}); taking it out`);
            setState(instance, 'unhealthy', why);
          } else if (instance.state === 'unhealthy' && ok) {
            say(`instance ${instance.n} passed its health check again; putting it back`);
            setState(instance, 'up', 'recovered');
          }
        }),
      );
      setTimeout(round, health.intervalMs).unref();
    };
    setTimeout(round, health.intervalMs).unref();
  }

  /** A request to an `up` instance was refused: with health checks on, take it out at once. */
  function refused(instance) {
    if (health && instance.state === 'up')
      setState(instance, 'unhealthy', 'refused the connection');
  }

  async function closeAll(graceMs) {
    closing = true;
    await Promise.all(instances.map((i) => stopChild(i.child, { graceMs })));
  }

  return { instances, start, kill, drain, restart, setLatency, checkHealth, refused, closeAll };
}
