/**
 * The kit's store as a network service you can break on purpose: it listens on one port over HTTP,
 * and can be stopped and started again on that same port (keeping or losing its data), slowed down,
 * or made to refuse or hang connections. Node built-ins only; Node 20 and 22.
 *
 * Wire protocol (what store-client.mjs speaks):
 *   POST /   body: one command as a JSON array, ["SET","cart:7",{"tea":2},"EX",60]
 *            -> 200 {"ok": <reply>} or 200 {"error": "ERR …"} (a Redis-style error reply)
 *   GET /keys/<key> -> 200 with the JSON value, or 404        (for looking inside from a check)
 *   GET /keys       -> 200 {"keys":[…]}
 *   PUT /keys/<key>[?ttl=<seconds>] JSON body -> 204; DELETE /keys/<key> -> 204
 *
 * Control (`control(line)`; store.mjs and the balancer read these lines from stdin):
 *   stop [keep-data|lose-data]   close the port (keep-data, the default, is persistence on)
 *   start                        listen on the same port again
 *   delay <n>ms | delay <n>s     answer every command that much later (delay 0 to undo)
 *   fault refuse | fault hang | fault off
 *                                refuse: accept, then reset every connection; hang: accept and
 *                                never answer
 *   stats [reset]                print the counters now (or zero them)
 *   flush                        drop every key
 * Events (one line each, @@svs-event {json}) on every change, and each second while busy:
 *   {"type":"store","state":"up"|"down","port":7001,"keys":3,"opsPerSecond":41,"total":230,
 *    "commands":{"GET":200,"SET":30},"errors":0,"delayMs":0,"fault":null,"persist":true}
 */
import http from 'node:http';
import { createEngine, LIMITS, StoreError } from './store-engine.mjs';

/** Connections the store accepts at once: a learner server leaking connections hits this. */
export const MAX_CONNECTIONS = 512;
const MAX_BODY = LIMITS.maxValueBytes + 64 * 1024;

export function createStoreService({
  port = 0,
  host = '127.0.0.1',
  emit = () => {},
  say = () => {},
}) {
  const said = new Set();
  const sayOnce = (text) => {
    if (said.has(text)) return;
    said.add(text);
    say(text);
  };
  const engine = createEngine({ onLimit: (message) => sayOnce(`limit reached: ${message}`) });
  const counts = { commands: {}, total: 0, errors: 0 };
  const window = []; // completion times of commands in the last second
  const settings = { delayMs: 0, fault: null, persist: true };
  let state = 'down';
  let boundPort = port;
  let lastEmitted = '';

  const opsPerSecond = () => {
    const since = Date.now() - 1000;
    while (window.length && window[0] < since) window.shift();
    return window.length;
  };
  const stats = () => ({
    type: 'store',
    state,
    port: boundPort,
    keys: engine.size(),
    opsPerSecond: opsPerSecond(),
    total: counts.total,
    commands: { ...counts.commands },
    errors: counts.errors,
    delayMs: settings.delayMs,
    fault: settings.fault,
    persist: settings.persist,
  });
  const report = (force = false) => {
    const event = stats();
    const text = JSON.stringify(event);
    if (!force && text === lastEmitted) return;
    lastEmitted = text;
    emit(event);
  };
  const ticker = setInterval(() => {
    engine.sweep();
    if (state === 'up') report();
  }, 1000);
  ticker.unref();

  /** Runs a command as the network would see it: counted, delayed, errors as replies. */
  async function run(argv) {
    if (settings.delayMs) await new Promise((resolve) => setTimeout(resolve, settings.delayMs));
    const name = Array.isArray(argv) && typeof argv[0] === 'string' ? argv[0].toUpperCase() : '?';
    counts.commands[name] = (counts.commands[name] ?? 0) + 1;
    counts.total += 1;
    window.push(Date.now());
    try {
      return { ok: engine.execute(argv) };
    } catch (error) {
      counts.errors += 1;
      if (error instanceof StoreError) return { error: error.message };
      return { error: `ERR ${error.message}` };
    }
  }

  const reply = (res, status, body) => {
    if (body === undefined) res.writeHead(status).end();
    else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  function readBody(req, res, then) {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        sayOnce(`limit reached: a request over ${MAX_BODY} bytes was refused (maxValueBytes)`);
        return reply(res, 413, {
          error: `ERR request too large: values are limited to ${LIMITS.maxValueBytes} bytes (maxValueBytes)`,
        });
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        return reply(res, 400, { error: 'ERR protocol error: the body must be JSON' });
      }
      then(parsed);
    });
  }

  async function legacy(req, res, url) {
    if (url.pathname === '/keys' && req.method === 'GET') {
      const { ok } = await run(['KEYS', '*']);
      return reply(res, 200, { keys: ok });
    }
    let key;
    try {
      key = decodeURIComponent(url.pathname.slice('/keys/'.length));
    } catch {
      return reply(res, 400, { error: 'the key is not valid URL encoding' });
    }
    if (!key) return reply(res, 404, { error: 'use /keys/<key>' });
    if (req.method === 'GET') {
      const { ok, error } = await run(['GET', key]);
      if (error) return reply(res, 400, { error });
      return ok === null ? reply(res, 404, { error: 'no such key' }) : reply(res, 200, ok);
    }
    if (req.method === 'DELETE') return reply(res, 204, (await run(['DEL', key])).error);
    if (req.method !== 'PUT') {
      res.setHeader('allow', 'GET, PUT, DELETE');
      return reply(res, 405, { error: 'use GET, PUT or DELETE' });
    }
    readBody(req, res, async (value) => {
      const ttl = url.searchParams.get('ttl');
      const seconds = ttl === null ? null : Number(ttl);
      if (seconds !== null && !(seconds > 0))
        return reply(res, 400, { error: 'ttl must be a positive number of seconds' });
      const expiry = seconds === null ? [] : ['PX', Math.max(1, Math.round(seconds * 1000))];
      const { error } = await run(['SET', key, value, ...expiry]);
      reply(res, error ? 400 : 204, error ? { error } : undefined);
    });
  }

  const server = http.createServer((req, res) => {
    if (settings.fault === 'hang') return; // accepted, never answered
    const url = new URL(req.url, 'http://store');
    if (url.pathname === '/' && req.method === 'POST') {
      readBody(req, res, async (argv) => reply(res, 200, await run(argv)));
    } else if (url.pathname === '/stats' && req.method === 'GET') {
      reply(res, 200, stats());
    } else if (url.pathname === '/keys' || url.pathname.startsWith('/keys/')) {
      legacy(req, res, url);
    } else {
      reply(res, 404, { error: 'POST a command to / as a JSON array, like ["GET","key"]' });
    }
  });
  server.keepAliveTimeout = 60_000;
  let open = 0;
  server.on('connection', (socket) => {
    if (settings.fault === 'refuse') return socket.resetAndDestroy?.() ?? socket.destroy();
    open += 1;
    socket.once('close', () => (open -= 1));
    if (open > MAX_CONNECTIONS) {
      sayOnce(
        `limit reached: more than ${MAX_CONNECTIONS} connections at once (MAX_CONNECTIONS); is a server opening one per request and never closing it?`,
      );
      socket.destroy();
    }
  });

  function start() {
    if (state === 'up') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (error) => {
        say(`cannot listen on ${host}:${boundPort}: ${error.message}`);
        reject(error);
      };
      server.once('error', onError);
      server.listen(boundPort, host, () => {
        server.off('error', onError);
        boundPort = server.address().port;
        state = 'up';
        report(true);
        resolve();
      });
    });
  }

  function stop({ keepData = true } = {}) {
    if (state === 'down') return Promise.resolve();
    state = 'down';
    settings.persist = keepData;
    if (!keepData) engine.clear();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      report(true);
    });
  }

  function control(line) {
    const [word = '', arg = ''] = line.trim().split(/\s+/);
    if (word === 'stop') {
      if (arg && arg !== 'keep-data' && arg !== 'lose-data')
        return say('usage: stop [keep-data|lose-data]');
      return stop({ keepData: arg !== 'lose-data' });
    }
    if (word === 'start') return start().catch(() => {});
    if (word === 'delay') {
      const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(arg);
      if (!match) return say('usage: delay 50ms (or delay 0 to answer at once)');
      settings.delayMs = Math.min(Number(match[1]) * (match[2] === 's' ? 1000 : 1), 30_000);
    } else if (word === 'fault') {
      if (!['refuse', 'hang', 'off'].includes(arg)) return say('usage: fault refuse|hang|off');
      settings.fault = arg === 'off' ? null : arg;
      if (arg !== 'off') server.closeAllConnections();
    } else if (word === 'stats') {
      if (arg === 'reset') Object.assign(counts, { commands: {}, total: 0, errors: 0 });
    } else if (word === 'flush') engine.clear();
    else
      return say(
        'store commands: stop [keep-data|lose-data], start, delay 50ms, fault refuse|hang|off, stats [reset], flush',
      );
    report(true);
    return undefined;
  }

  return {
    start,
    stop,
    control,
    stats,
    run,
    get port() {
      return boundPort;
    },
    get url() {
      return `http://${host}:${boundPort}`;
    },
    close: () => {
      clearInterval(ticker);
      return stop();
    },
  };
}
