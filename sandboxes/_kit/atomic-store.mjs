/**
 * A small key-value store with the two atomic operations integrity labs need, and its client.
 * Node built-ins only; Node 20+. It stands in for Redis's `SET key value NX EX ttl` and
 * `INCRBY key n`: each runs as one step inside the store process, so no other request can slip in
 * between a read and a write. Values are JSON; everything lives in this process's memory.
 *
 * From a server:
 *   import { createAtomicStore } from './_kit/atomic-store.mjs';
 *   const store = createAtomicStore(process.env.STORE_URL);
 *   await store.get(key)                         -> value, or undefined
 *   await store.set(key, value, { ttlSeconds })  -> overwrite (ttl optional)
 *   await store.setIfAbsent(key, value, { ttlSeconds }) -> true if written, false if the key existed
 *   await store.incrBy(key, n)                   -> the new number (a missing key counts as 0)
 *   await store.delete(key)
 * Every call rejects with a readable Error when the store cannot be reached.
 *
 * Run it:
 *   node _kit/atomic-store.mjs                       listens on PORT (HOST, default 127.0.0.1)
 *   node _kit/atomic-store.mjs <command…>            listens on a free port, then runs `node
 *                                                    <command…>` with STORE_URL set, passing stdin on
 *   e.g. node _kit/atomic-store.mjs _kit/balancer.mjs --instances 3 server.js
 *
 * HTTP API (keys URL-encoded): GET/PUT/DELETE /keys/<key>[?ttl=s], POST /keys/<key>?op=setnx[&ttl=s]
 * (body: the value; answers {"set": true|false}), POST /keys/<key>?op=incrby&by=<integer>
 * (answers {"value": n}), GET /stats -> {"ops": {command: count}}.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const MAX_BODY = 256 * 1024;
const MAX_KEYS = 100_000;

/**
 * `gate(op, key)`, if given, is awaited before each command runs. Checks use it to hold a read until
 * a second racer has arrived, so a read-then-write race shows every time rather than by luck.
 */
export function createAtomicStoreServer({ gate } = {}) {
  const entries = new Map(); // key -> { json, expiresAt }
  const ops = {};
  const live = (key) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => entries.forEach((_, key) => live(key)), 1000);
  sweep.unref();

  const reply = (res, status, body) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const write = (key, json, ttl) => {
    if (!entries.has(key) && entries.size >= MAX_KEYS) {
      throw new Error(`the store holds ${MAX_KEYS} keys, its limit`);
    }
    entries.set(key, { json, expiresAt: ttl === null ? null : Date.now() + ttl * 1000 });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://store');
    if (url.pathname === '/stats') return reply(res, 200, { ops, keys: entries.size });
    if (!url.pathname.startsWith('/keys/')) return reply(res, 404, { error: 'use /keys/<key>' });
    let key;
    try {
      key = decodeURIComponent(url.pathname.slice('/keys/'.length));
    } catch {
      return reply(res, 400, { error: 'the key is not valid URL encoding' });
    }
    const ttlText = url.searchParams.get('ttl');
    const ttl = ttlText === null ? null : Number(ttlText);
    if (ttl !== null && !(ttl > 0)) return reply(res, 400, { error: 'ttl must be > 0 seconds' });
    const op = req.method === 'POST' ? url.searchParams.get('op') : req.method;
    ops[op] = (ops[op] ?? 0) + 1;

    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (gate) Promise.resolve(gate(op, key)).then(run, run);
      else run();
    });
    const run = () => {
      if (size > MAX_BODY) return reply(res, 413, { error: 'values are limited to 256 KB' });
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        if (op === 'GET') {
          const entry = live(key);
          return entry
            ? res.writeHead(200).end(entry.json)
            : reply(res, 404, { error: 'no such key' });
        }
        if (op === 'DELETE') return reply(res, 200, { deleted: entries.delete(key) });
        if (op === 'PUT' || op === 'setnx') {
          JSON.parse(text); // only JSON values
          if (op === 'setnx' && live(key)) return reply(res, 200, { set: false });
          write(key, text, ttl);
          return reply(res, 200, { set: true });
        }
        if (op === 'incrby') {
          const by = Number(url.searchParams.get('by'));
          if (!Number.isInteger(by)) return reply(res, 400, { error: 'by must be an integer' });
          const current = live(key);
          const value = current === undefined ? 0 : JSON.parse(current.json);
          if (!Number.isInteger(value))
            return reply(res, 400, { error: `${key} is not an integer` });
          const next = value + by;
          write(key, JSON.stringify(next), null);
          if (current && current.expiresAt !== null) entries.get(key).expiresAt = current.expiresAt;
          return reply(res, 200, { value: next });
        }
        reply(res, 400, { error: `unknown operation ${op}` });
      } catch (error) {
        reply(res, 400, {
          error: error instanceof SyntaxError ? 'the body must be JSON' : error.message,
        });
      }
    };
  });
  server.on('close', () => clearInterval(sweep));
  return server;
}

export function createAtomicStore(baseUrl) {
  if (!baseUrl)
    throw new Error('createAtomicStore needs the store address: pass process.env.STORE_URL');
  const base = new URL(baseUrl);
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(new URL(path, base), { method, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode >= 400 && res.statusCode !== 404) {
            reject(new Error(`The store refused ${method} ${path}: ${text}`));
          } else resolve({ status: res.statusCode, text });
        });
      });
      req.setTimeout(5000, () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', (error) =>
        reject(
          new Error(`Could not reach the store at ${base.origin} (${error.code || error.message})`),
        ),
      );
      req.end(payload);
    });
  const keyPath = (key, query = '') => `/keys/${encodeURIComponent(String(key))}${query}`;
  const ttlQuery = (ttlSeconds, sep) => (ttlSeconds === undefined ? '' : `${sep}ttl=${ttlSeconds}`);
  return {
    async get(key) {
      const res = await call('GET', keyPath(key));
      return res.status === 404 ? undefined : JSON.parse(res.text);
    },
    async set(key, value, { ttlSeconds } = {}) {
      await call('PUT', keyPath(key, ttlQuery(ttlSeconds, '?')), value);
    },
    async setIfAbsent(key, value, { ttlSeconds } = {}) {
      const res = await call('POST', keyPath(key, `?op=setnx${ttlQuery(ttlSeconds, '&')}`), value);
      return JSON.parse(res.text).set;
    },
    async incrBy(key, by) {
      const res = await call('POST', keyPath(key, `?op=incrby&by=${by}`));
      return JSON.parse(res.text).value;
    },
    async delete(key) {
      await call('DELETE', keyPath(key));
    },
    async stats() {
      return JSON.parse((await call('GET', '/stats')).text);
    },
  };
}

/** `node _kit/atomic-store.mjs <command…>`: the store here, the command as a child with STORE_URL. */
function runWith(args, server) {
  server.listen(0, '127.0.0.1', () => {
    const storeUrl = `http://127.0.0.1:${server.address().port}`;
    console.log(`[store] listening on ${storeUrl} (given to your servers as STORE_URL)`);
    const child = spawn(process.execPath, args, {
      env: { ...process.env, STORE_URL: storeUrl },
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    process.stdin.pipe(child.stdin); // kill N, start N, shutdown … reach the balancer
    child.on('exit', (code) => process.exit(code ?? 0));
    const stop = () => child.kill('SIGTERM');
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('exit', () => child.kill('SIGKILL'));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = createAtomicStoreServer();
  const args = process.argv.slice(2);
  if (args.length > 0) runWith(args, server);
  else {
    const host = process.env.HOST || '127.0.0.1';
    const port = Number(process.env.PORT) || 8090;
    server.listen(port, host, () => console.log(`[store] listening on http://${host}:${port}`));
  }
}
