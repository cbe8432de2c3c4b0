/**
 * The kit's key-value store: a separate process that keeps data while your server restarts.
 * Node built-ins only; Node 18+. Values are JSON; everything lives in this process's memory.
 *
 * HTTP API (keys are URL-encoded):
 *   PUT    /keys/<key>[?ttl=<seconds>]   body: any JSON value -> 204; expires after ttl if given
 *   GET    /keys/<key>                   -> 200 with the JSON value, or 404 if absent/expired
 *   DELETE /keys/<key>                   -> 204 (also when it was absent)
 *   GET    /keys                         -> 200 {"keys":[…]} (live keys)
 *
 * Run it:
 *   node _kit/store.mjs                 listens on PORT (HOST, default 127.0.0.1)
 *   node _kit/store.mjs server.js       listens on a free port and starts `node server.js` with
 *                                       PORT passed through and STORE_URL set; type `restart` to
 *                                       restart your server while the store keeps its data.
 * Import it: `createStoreServer()` returns an unstarted http.Server (the balancer's --store uses it).
 * From your server, use _kit/store-client.mjs rather than raw HTTP.
 */
import http from 'node:http';
import { spawnNode, stopChild, watchLifecycle } from './lifecycle.mjs';
import { fileURLToPath } from 'node:url';

const MAX_BODY = 1024 * 1024;

export function createStoreServer() {
  /** key -> { json: string, expiresAt: number | null } */
  const entries = new Map();
  const live = (key) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
  }, 1000);
  sweep.unref();

  const send = (res, status, body) => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://store');
    if (url.pathname === '/keys' && req.method === 'GET') {
      const keys = [...entries.keys()].filter((key) => live(key));
      send(res, 200, JSON.stringify({ keys }));
      return;
    }
    if (!url.pathname.startsWith('/keys/') || url.pathname.length === '/keys/'.length) {
      send(res, 404, JSON.stringify({ error: 'use /keys/<key>' }));
      return;
    }
    let key;
    try {
      key = decodeURIComponent(url.pathname.slice('/keys/'.length));
    } catch {
      send(res, 400, JSON.stringify({ error: 'the key is not valid URL encoding' }));
      return;
    }

    if (req.method === 'GET') {
      const entry = live(key);
      if (entry) send(res, 200, entry.json);
      else send(res, 404, JSON.stringify({ error: 'no such key' }));
    } else if (req.method === 'DELETE') {
      entries.delete(key);
      send(res, 204);
    } else if (req.method === 'PUT') {
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > MAX_BODY)
          return send(res, 413, JSON.stringify({ error: 'values are limited to 1 MB' }));
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          JSON.parse(text);
        } catch {
          return send(res, 400, JSON.stringify({ error: 'the body must be JSON' }));
        }
        const ttl = url.searchParams.get('ttl');
        const seconds = ttl === null ? null : Number(ttl);
        if (seconds !== null && !(seconds > 0)) {
          return send(
            res,
            400,
            JSON.stringify({ error: 'ttl must be a positive number of seconds' }),
          );
        }
        entries.set(key, {
          json: text,
          expiresAt: seconds === null ? null : Date.now() + seconds * 1000,
        });
        send(res, 204);
      });
    } else {
      res.setHeader('allow', 'GET, PUT, DELETE');
      send(res, 405, JSON.stringify({ error: 'use GET, PUT or DELETE' }));
    }
  });
  server.on('close', () => clearInterval(sweep));
  return server;
}

/** `node _kit/store.mjs server.js`: the store in this process, the learner's server as a child. */
function runWithServer(entry, store) {
  store.listen(0, '127.0.0.1', () => {
    const storeUrl = `http://127.0.0.1:${store.address().port}`;
    console.log(`[store] listening on ${storeUrl} (your server gets it as STORE_URL)`);
    let child = null;
    const start = () => {
      const current = spawnNode([entry], {
        env: { ...process.env, STORE_URL: storeUrl },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child = current;
      current.on('exit', (code, signal) => {
        // A restart clears `child` first, so only unexpected stops are announced.
        if (child !== current) return;
        console.log(
          `[store] ${entry} stopped (${signal || `exit code ${code}`}); type "restart" to start it again`,
        );
      });
    };
    const restart = () => {
      const old = child;
      child = null;
      if (!old || old.exitCode !== null || old.signalCode !== null) return start();
      old.once('exit', start);
      old.kill('SIGTERM');
    };
    const onCommand = (line) => {
      if (line === 'restart') restart();
      else console.log('[store] commands: restart, shutdown');
    };
    const onShutdown = async (reason) => {
      const old = child;
      child = null;
      await stopChild(old, { graceMs: reason === 'shutdown' || reason === 'SIGTERM' ? 1000 : 0 });
      process.exit(0);
    };
    process.on('exit', () => child?.kill('SIGKILL'));
    watchLifecycle({ onShutdown, onCommand });
    start();
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const store = createStoreServer();
  const entry = process.argv[2];
  if (entry) {
    runWithServer(entry, store);
  } else {
    const host = process.env.HOST || '127.0.0.1';
    const port = Number(process.env.PORT) || 8090;
    store.listen(port, host, () => console.log(`[store] listening on http://${host}:${port}`));
    watchLifecycle({ onShutdown: () => process.exit(0), onCommand: () => {} });
  }
}
