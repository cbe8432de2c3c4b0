/**
 * Helpers for writing checks (sandboxes/<id>/checks/*.test.mjs). Node built-ins only; Node 18+.
 *
 *   import { test } from 'node:test';
 *   import assert from 'node:assert/strict';
 *   import { startServer, createClient } from '../_kit/check-helpers.mjs';
 *
 *   test('Your server answers GET / with status 200', async () => {
 *     const server = await startServer();            // node server.js on a fresh PORT
 *     const res = await createClient(server).get('/');
 *     assert.equal(res.status, 200, `Expected status 200, got ${summarize(res)}`);
 *   });
 *
 * API
 *   startServer({ entry = 'server.js', env = {}, readyTimeoutMs = 5000 }) -> Promise<Server>
 *     Server = { url, port, output(): string, stop(), restart() }   restart keeps port and env.
 *   startCluster({ entry = 'server.js', instances = 3, strategy = 'round-robin' | 'sticky',
 *                  env = {}, store = false, readyTimeoutMs = 8000 }) -> Promise<Cluster>
 *     Runs _kit/balancer.mjs (needs "balancer" in the manifest's kit; `store: true` also "store").
 *     Cluster = { url, instances: [{ n, url, port, state }] (live, numbered from 1),
 *                 kill(n), start(n), restart(n), events(), requests(), output(), stop(),
 *                 waitForRequests(count) -> the request events once at least `count` arrived }
 *     Event lines reach the checks on their own channel: after sending requests, read them with
 *     `await cluster.waitForRequests(k)` rather than `requests()`.
 *   startStore({ readyTimeoutMs = 5000 }) -> Promise<{ url, port, output(), stop() }>
 *     Runs _kit/store.mjs (needs "store" in the kit); pass its url to a server as env STORE_URL.
 *   createClient(serverOrUrl, { timeoutMs = 5000 }) -> Client with a cookie jar:
 *     request(method, path, { headers, body, timeoutMs }) -> Response; get(path, opts),
 *     post(path, body, opts), put(path, body, opts), del(path, opts); cookies (Map name -> value),
 *     setCookie(name, value), clearCookies().
 *     Response = { status, headers (lowercase keys; 'set-cookie' is an array), text, json(),
 *                  setCookies: [{ name, value, attributes: { httponly: true, samesite: 'Lax', … } }] }
 *     Passing a Server (not just a url) makes failures quote the server's last output.
 *   summarize(response) -> 'status 404 with body "Not found"'   for assertion messages.
 *   fail(message)  throws a CheckError: the check fails with exactly this learner-facing message.
 *   stopAll()      stops everything the helpers started; registered as an `after` hook on import.
 *
 * Failures the learner caused (no answer in time, a crash, a refused connection, a reply that
 * is not JSON) are thrown as CheckError / CheckTimeoutError with a sentence written for them;
 * the reporter shows it as the check's message. The learner's processes never see
 * SVS_CHECK_NONCE, so they cannot forge a result line.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EVENT_MARKER, NONCE_ENV } from './protocol.mjs';

const KIT_DIR = path.dirname(fileURLToPath(import.meta.url));
const SANDBOX_ROOT = path.dirname(KIT_DIR);
const HOST = '127.0.0.1';
const OUTPUT_LIMIT = 20000;

export class CheckError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckError';
    this.code = 'SVS_FAIL';
  }
}

export class CheckTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckTimeoutError';
    this.code = 'SVS_TIMEOUT';
  }
}

export function fail(message) {
  throw new CheckError(message);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const seconds = (ms) => `${Math.round(ms / 100) / 10} s`;

function quote(text, max = 120) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

export function summarize(res) {
  return res.text === ''
    ? `status ${res.status} with an empty body`
    : `status ${res.status} with body ${quote(res.text)}`;
}

/** The last few lines a process printed, ready to append to a message. */
function lastOutput(output) {
  // Stack frames push the error sentence out of view; the learner needs the sentence.
  const lines = output
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s+at /.test(line) && !/^Node\.js v\d/.test(line))
    .slice(-8)
    .join('\n');
  if (lines === '') return ' It printed nothing.';
  const clipped = lines.length > 800 ? `…${lines.slice(-800)}` : lines;
  return `\nLast output:\n${clipped}`;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: HOST });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

const running = new Set();

/** The learner's processes get a clean environment: no result nonce, no test-runner internals. */
function learnerEnv(extra) {
  const env = { ...process.env, ...extra };
  delete env[NONCE_ENV];
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

function launch(args, env, { stdin = 'ignore', onLine } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: SANDBOX_ROOT,
    env,
    // Same process group as the check run on purpose: whoever runs the checks can end the group
    // and nothing started here survives it.
    stdio: [stdin, 'pipe', 'pipe'],
  });
  const proc = { child, output: '', exitInfo: null };
  let partial = '';
  const collect = (chunk) => {
    proc.output = (proc.output + chunk).slice(-OUTPUT_LIMIT);
    if (!onLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) onLine(line);
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  proc.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      proc.exitInfo = { code, signal };
      running.delete(proc);
      resolve(proc.exitInfo);
    });
    child.once('error', (error) => {
      proc.output += `\n${error.message}`;
      proc.exitInfo = { code: null, signal: null };
      running.delete(proc);
      resolve(proc.exitInfo);
    });
  });
  proc.stop = () => stopProcess(proc);
  running.add(proc);
  return proc;
}

function sendSignal(proc, signal) {
  try {
    proc.child.kill(signal);
  } catch {
    /* already gone */
  }
}

async function stopProcess(proc) {
  if (proc.exitInfo) return;
  // SIGTERM first so a balancer can take its instances down with it; SIGKILL if ignored.
  sendSignal(proc, 'SIGTERM');
  const timer = setTimeout(() => sendSignal(proc, 'SIGKILL'), 1000);
  await proc.exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...running].map((proc) => proc.stop()));
}

after(stopAll);
process.once('exit', () => {
  for (const proc of running) sendSignal(proc, 'SIGKILL');
});

function exitDescription({ code, signal }) {
  return signal ? `was stopped by ${signal}` : `exited with code ${code}`;
}

async function waitUntilListening(proc, port, timeoutMs, who) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitInfo) {
      throw new CheckError(
        `${who} ${exitDescription(proc.exitInfo)} before it started listening on PORT.${lastOutput(proc.output)}`,
      );
    }
    if (await canConnect(port)) return;
    if (Date.now() > deadline) {
      throw new CheckTimeoutError(
        `${who} did not start listening on PORT within ${seconds(timeoutMs)}. Did it call server.listen(process.env.PORT)?${lastOutput(proc.output)}`,
      );
    }
    await sleep(50);
  }
}

export async function startServer({ entry = 'server.js', env = {}, readyTimeoutMs = 5000 } = {}) {
  const port = await freePort();
  const fullEnv = learnerEnv({ ...env, PORT: String(port), HOST });
  let history = '';
  let proc;
  const boot = async () => {
    proc = launch([entry], fullEnv);
    await waitUntilListening(proc, port, readyTimeoutMs, 'Your server');
  };
  await boot();
  return {
    url: `http://${HOST}:${port}`,
    port,
    output: () => history + proc.output,
    stop: () => proc.stop(),
    async restart() {
      await proc.stop();
      history += proc.output;
      await boot();
    },
  };
}

export async function startStore({ readyTimeoutMs = 5000 } = {}) {
  const port = await freePort();
  const proc = launch([path.join(KIT_DIR, 'store.mjs')], learnerEnv({ PORT: String(port), HOST }));
  await waitUntilListening(proc, port, readyTimeoutMs, 'The session store');
  return {
    url: `http://${HOST}:${port}`,
    port,
    output: () => proc.output,
    stop: () => proc.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// Cluster (the kit's load balancer in front of N instances)

const EVENT_PREFIX = `${EVENT_MARKER} `;

export async function startCluster({
  entry = 'server.js',
  instances = 3,
  strategy = 'round-robin',
  env = {},
  store = false,
  readyTimeoutMs = 8000,
} = {}) {
  const port = await freePort();
  const events = [];
  const waiters = new Set();
  const table = new Map();
  let plainOutput = '';

  const onLine = (line) => {
    if (!line.startsWith(EVENT_PREFIX)) {
      plainOutput = (plainOutput + line + '\n').slice(-OUTPUT_LIMIT);
      return;
    }
    let event;
    try {
      event = JSON.parse(line.slice(EVENT_PREFIX.length));
    } catch {
      return;
    }
    events.push(event);
    if (event.type === 'instance') {
      table.set(event.instance, {
        n: event.instance,
        port: event.port,
        url: `http://${HOST}:${event.port}`,
        state: event.state,
      });
    }
    for (const waiter of waiters) waiter();
  };

  const args = [
    path.join(KIT_DIR, 'balancer.mjs'),
    '--instances',
    String(instances),
    '--strategy',
    strategy,
    ...(store ? ['--store'] : []),
    entry,
  ];
  const proc = launch(args, learnerEnv({ ...env, PORT: String(port), HOST }), {
    stdin: 'pipe',
    onLine,
  });

  /** Resolves when `ready()` holds, rejects with `problem()` or on timeout/exit. */
  const waitFor = (ready, timeoutMs, what, problem = () => null) =>
    new Promise((resolve, reject) => {
      const settle = (error) => {
        waiters.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        const issue = problem();
        if (issue) settle(new CheckError(`${issue}${lastOutput(plainOutput)}`));
        else if (ready()) settle();
        else if (proc.exitInfo) {
          settle(
            new CheckError(
              `The load balancer ${exitDescription(proc.exitInfo)}.${lastOutput(plainOutput)}`,
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          settle(
            new CheckTimeoutError(
              `${what} within ${seconds(timeoutMs)}.${lastOutput(plainOutput)}`,
            ),
          ),
        timeoutMs,
      );
      waiters.add(check);
      proc.exited.then(check);
      check();
    });

  const upCount = () => [...table.values()].filter((i) => i.state === 'up').length;
  const stateSince = (n, state, from) =>
    events.slice(from).some((e) => e.type === 'instance' && e.instance === n && e.state === state);
  const exitedSince = (n, from) =>
    events
      .slice(from)
      .some(
        (e) =>
          e.type === 'instance' && e.instance === n && e.state === 'down' && e.reason === 'exited',
      );

  await waitFor(
    () => upCount() === instances,
    readyTimeoutMs,
    `Not all ${instances} instances of your server started listening on PORT`,
    () => {
      const crashed = events.find((e) => e.type === 'instance' && e.reason === 'exited');
      return crashed
        ? `Instance ${crashed.instance} of your server stopped before it started listening on PORT.`
        : null;
    },
  );
  await waitUntilListening(proc, port, readyTimeoutMs, 'The load balancer');

  const command = async (text, n, state, what) => {
    const from = events.length;
    proc.child.stdin.write(`${text} ${n}\n`);
    await waitFor(
      () => stateSince(n, state, from),
      readyTimeoutMs,
      what,
      state === 'up'
        ? () =>
            exitedSince(n, from) ? `Instance ${n} of your server stopped while starting.` : null
        : undefined,
    );
  };

  return {
    url: `http://${HOST}:${port}`,
    port,
    get instances() {
      return [...table.values()].sort((a, b) => a.n - b.n).map((i) => ({ ...i }));
    },
    kill: (n) => command('kill', n, 'down', `Instance ${n} did not stop`),
    start: (n) => command('start', n, 'up', `Instance ${n} did not start listening on PORT`),
    restart: async (n) => {
      const from = events.length;
      proc.child.stdin.write(`restart ${n}\n`);
      await waitFor(
        () =>
          events
            .slice(from)
            .some((e) => e.type === 'instance' && e.instance === n && e.state === 'up'),
        readyTimeoutMs,
        `Instance ${n} did not come back after a restart`,
      );
    },
    events: () => events.slice(),
    requests: () => events.filter((e) => e.type === 'request'),
    /** Event lines travel separately from the HTTP answers: wait until `count` requests are in. */
    async waitForRequests(count, timeoutMs = 2000) {
      const requests = () => events.filter((e) => e.type === 'request');
      await waitFor(
        () => requests().length >= count,
        timeoutMs,
        `The load balancer did not report ${count} request(s)`,
      );
      return requests();
    },
    output: () => plainOutput,
    stop: () => proc.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP client with a cookie jar

function parseSetCookie(header) {
  const [pair, ...attributeParts] = header.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
  const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
  const attributes = {};
  for (const part of attributeParts) {
    const [key, ...rest] = part.split('=');
    const attribute = key.trim().toLowerCase();
    if (attribute) attributes[attribute] = rest.length ? rest.join('=').trim() : true;
  }
  return { name, value, attributes };
}

function isExpired({ attributes }) {
  if (attributes['max-age'] !== undefined) return Number(attributes['max-age']) <= 0;
  if (typeof attributes.expires === 'string') return Date.parse(attributes.expires) <= Date.now();
  return false;
}

function networkError(error, method, target, base, server) {
  const where = `${method} ${target}`;
  const tail = server ? lastOutput(server.output()) : '';
  if (error.code === 'ECONNREFUSED') {
    return new CheckError(
      `${where} failed: nothing is listening at ${base.host} (connection refused). Did your server stop or crash?${tail}`,
    );
  }
  if (error.code === 'ECONNRESET' || error.message === 'socket hang up') {
    return new CheckError(
      `${where} failed: the server closed the connection without a complete answer.${tail}`,
    );
  }
  return new CheckError(`${where} failed: ${error.message}${tail}`);
}

export function createClient(target, { timeoutMs: defaultTimeoutMs = 5000 } = {}) {
  const server = typeof target === 'string' ? null : target;
  const base = new URL(typeof target === 'string' ? target : target.url);
  const cookies = new Map();

  const remember = (setCookies) => {
    for (const cookie of setCookies) {
      if (isExpired(cookie)) cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
  };

  function request(method, target, { headers = {}, body, timeoutMs = defaultTimeoutMs } = {}) {
    const url = new URL(target, base);
    const outgoing = {};
    for (const [key, value] of Object.entries(headers)) outgoing[key.toLowerCase()] = value;
    if (cookies.size > 0 && outgoing.cookie === undefined) {
      outgoing.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        payload = body;
      } else {
        payload = JSON.stringify(body);
        outgoing['content-type'] ??= 'application/json';
      }
      outgoing['content-length'] = Buffer.byteLength(payload);
    }

    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value);
      };
      const req = http.request(url, { method, headers: outgoing, agent: false }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', (error) => finish(networkError(error, method, target, base, server)));
        res.on('aborted', () =>
          finish(networkError(new Error('socket hang up'), method, target, base, server)),
        );
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const setCookies = (res.headers['set-cookie'] || []).map(parseSetCookie);
          remember(setCookies);
          finish(null, {
            status: res.statusCode,
            headers: res.headers,
            text,
            setCookies,
            json() {
              try {
                return JSON.parse(text);
              } catch {
                throw new CheckError(
                  `Expected JSON from ${method} ${target}, got ${summarize({ status: res.statusCode, text })}`,
                );
              }
            },
          });
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        const tail = server ? lastOutput(server.output()) : '';
        finish(
          new CheckTimeoutError(
            `Timed out after ${seconds(timeoutMs)} waiting for ${method} ${target} to answer.${tail}`,
          ),
        );
      }, timeoutMs);
      req.on('error', (error) => finish(networkError(error, method, target, base, server)));
      req.end(payload);
    });
  }

  return {
    request,
    get: (target, opts) => request('GET', target, opts),
    post: (target, body, opts) => request('POST', target, { ...opts, body }),
    put: (target, body, opts) => request('PUT', target, { ...opts, body }),
    del: (target, opts) => request('DELETE', target, opts),
    cookies,
    setCookie: (name, value) => cookies.set(name, value),
    clearCookies: () => cookies.clear(),
  };
}
