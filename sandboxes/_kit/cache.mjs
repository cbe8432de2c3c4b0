/**
 * The kit's shared cache: a caching reverse proxy in front of a server or of the balancer, as a
 * CDN or a company proxy would sit in front of yours. Rules: cache-policy.mjs. Node built-ins only.
 *
 *   node _kit/cache.mjs server.js                 the cache on PORT, `node server.js` behind it
 *   node _kit/cache.mjs --upstream http://127.0.0.1:8080    the cache on PORT, in front of a URL
 *   node _kit/balancer.mjs --cache …              the cache on PORT, in front of the balancer
 *
 * Every answer carries `x-cache: HIT` (served from the cache, with `age`), `MISS` (fetched; stored
 * or not) or `REVALIDATED` (the server answered 304 to If-None-Match, and the stored body was
 * served). A request whose If-None-Match matches a fresh entry's ETag gets 304 from the cache.
 * stdin: `cache stats [reset]`, `cache clear` (the `cache ` prefix is optional here), `shutdown`.
 * Events: @@svs-event {"type":"cache","hits":3,"misses":2,"revalidated":1,"stored":2,
 *   "entries":2,"hitRatio":0.5} at most twice a second while it changes; hitRatio = hits / lookups.
 * Limits: 1,000 stored responses (the oldest go first, and the terminal says so once) and 1 MB per
 * stored body; larger answers pass through.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { lookupDecision, currentAge, varyKey, whyNotStorable } from './cache-policy.mjs';
import { spawnNode, stopChild, watchLifecycle } from './lifecycle.mjs';
import { canConnect, freePort, sleep } from './net.mjs';
import { EVENT_MARKER } from './protocol.mjs';

export const MAX_ENTRIES = 1000;
export const MAX_BODY_BYTES = 1024 * 1024;
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

const withoutHop = (headers) => {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
};

export function createCacheProxy({
  upstream,
  emit = () => {},
  say = () => {},
  maxEntries = MAX_ENTRIES,
}) {
  const target = new URL(upstream);
  /** url -> [{ vary, varyKey, status, headers, body, storedAt, initialAge }] (Map order = age) */
  const entries = new Map();
  const counts = { hits: 0, misses: 0, revalidated: 0, stored: 0 };
  const said = new Set();
  let timer = null;

  const sayOnce = (text) => {
    if (said.has(text)) return;
    said.add(text);
    say(text);
  };
  const storedCount = () => [...entries.values()].reduce((n, variants) => n + variants.length, 0);
  const stats = () => {
    const lookups = counts.hits + counts.misses + counts.revalidated;
    const hitRatio = lookups === 0 ? 0 : Math.round((counts.hits / lookups) * 1000) / 1000;
    return { type: 'cache', ...counts, entries: storedCount(), hitRatio };
  };
  const report = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      emit(stats());
    }, 500);
    timer.unref();
  };

  const find = (req) =>
    (entries.get(req.url) ?? []).find((e) => e.varyKey === varyKey(e.vary, req.headers));

  function store(req, status, headers, body) {
    const why = whyNotStorable(req, status, headers);
    if (why) return why;
    if (body.length > MAX_BODY_BYTES) {
      sayOnce(`not storing ${req.url}: over ${MAX_BODY_BYTES} bytes (MAX_BODY_BYTES)`);
      return 'too large';
    }
    const entry = {
      vary: headers.vary ?? '',
      varyKey: varyKey(headers.vary, req.headers),
      status,
      headers,
      body,
      storedAt: Date.now(),
      initialAge: Number(headers.age) || 0,
    };
    const variants = (entries.get(req.url) ?? []).filter((e) => e.varyKey !== entry.varyKey);
    entries.delete(req.url);
    entries.set(req.url, [...variants, entry]);
    counts.stored += 1;
    // The limit counts stored responses, so one URL that varies on a header cannot grow unseen.
    while (storedCount() > maxEntries) {
      sayOnce(
        `cache full: it keeps at most ${maxEntries} responses (MAX_ENTRIES), so the oldest are dropped; is something making every URL or header value unique?`,
      );
      // Map order is storage order: the first URL's first variant is the oldest response.
      const [oldestUrl, oldest] = entries.entries().next().value;
      if (oldest.length > 1) entries.set(oldestUrl, oldest.slice(1));
      else entries.delete(oldestUrl);
    }
    return null;
  }

  function serve(req, res, entry, label) {
    const headers = {
      ...withoutHop(entry.headers),
      'x-cache': label,
      age: String(currentAge(entry)),
    };
    const etag = entry.headers.etag;
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'x-cache': label, age: headers.age }).end();
      return;
    }
    res.writeHead(entry.status, headers);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  }

  function forward(req, res, body, cached) {
    const headers = withoutHop(req.headers);
    if (cached?.headers.etag) headers['if-none-match'] = cached.headers.etag;
    const out = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      },
      (answer) => {
        const chunks = [];
        answer.on('data', (chunk) => chunks.push(chunk));
        answer.on('error', () => res.destroy());
        answer.on('end', () => {
          if (cached && answer.statusCode === 304) {
            Object.assign(cached, {
              storedAt: Date.now(),
              initialAge: Number(answer.headers.age) || 0,
            });
            cached.headers = { ...cached.headers, ...withoutHop(answer.headers) };
            counts.revalidated += 1;
            report();
            return serve(req, res, cached, 'REVALIDATED');
          }
          const payload = Buffer.concat(chunks);
          const answerHeaders = withoutHop(answer.headers);
          // A change made through the cache makes what it stored for that URL out of date.
          if (req.method !== 'GET' && req.method !== 'HEAD' && answer.statusCode < 400) {
            entries.delete(req.url);
          }
          if (req.method === 'GET') {
            counts.misses += 1;
            store(req, answer.statusCode, answerHeaders, payload);
            report();
          }
          res.writeHead(answer.statusCode, answer.statusMessage, {
            ...answerHeaders,
            'x-cache': 'MISS',
          });
          res.end(payload);
        });
      },
    );
    out.setTimeout(30_000, () => out.destroy(new Error('timeout')));
    out.on('error', (error) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'x-cache': 'MISS' });
      return res.end(
        `The shared cache could not reach ${target.origin}: ${error.code || error.message}\n`,
      );
    });
    out.end(body);
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const cacheable = req.method === 'GET' || req.method === 'HEAD';
      const cached = cacheable ? find(req) : undefined;
      if (!cached) return forward(req, res, body, undefined);
      const decision = lookupDecision(cached, req.headers);
      if (decision === 'fresh') {
        counts.hits += 1;
        report();
        return serve(req, res, cached, 'HIT');
      }
      return forward(req, res, body, decision === 'revalidate' ? cached : undefined);
    });
  });

  function control(line) {
    const text = line.startsWith('cache ') ? line.slice('cache '.length).trim() : line.trim();
    if (text === 'clear') entries.clear();
    else if (text === 'stats reset')
      Object.assign(counts, { hits: 0, misses: 0, revalidated: 0, stored: 0 });
    else if (text !== 'stats') return say('cache commands: cache stats [reset], cache clear');
    emit(stats());
    return undefined;
  }

  return {
    server,
    stats,
    control,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          emit(stats());
          resolve(server.address().port);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const say = (text) => process.stdout.write(`[cache] ${text}\n`);
  const emit = (event) => process.stdout.write(`${EVENT_MARKER} ${JSON.stringify(event)}\n`);
  let upstream = args[0] === '--upstream' ? args[1] : null;
  let child = null;
  if (!upstream) {
    const entry = args[0] || 'server.js';
    const port = await freePort();
    child = spawnNode([entry], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    upstream = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (!(await canConnect(port)) && Date.now() < deadline && child.exitCode === null)
      await sleep(50);
  }
  const cache = createCacheProxy({ upstream, emit, say });
  const host = process.env.HOST || '127.0.0.1';
  const port = await cache.listen(Number(process.env.PORT) || 8080, host);
  say(`listening on http://${host}:${port}, caching ${upstream}`);
  watchLifecycle({
    onCommand: (line) => cache.control(line),
    onShutdown: async (reason) => {
      await stopChild(child, { graceMs: reason === 'shutdown' ? 1000 : 0 });
      process.exit(0);
    },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
