// A load-balancing proxy in front of the backends listed in UPSTREAMS.
// It works, but it takes turns: each request goes to the next backend. The backends remember
// visitors in their own memory, so a visitor bounces between four strangers.
import http from 'node:http';
import crypto from 'node:crypto';

const upstreams = (process.env.UPSTREAMS ?? '')
  .split(',')
  .map((u) => u.trim())
  .filter(Boolean);
if (upstreams.length === 0) {
  console.error(
    'Set UPSTREAMS to a comma-separated list of backend URLs, e.g. http://127.0.0.1:4001',
  );
  process.exit(1);
}
const HEALTH_INTERVAL_MS = Number(process.env.HEALTH_INTERVAL_MS) || 1000;

// A 32-bit number from any string. Same input, same number, in every process.
function hash(text) {
  return crypto.createHash('sha256').update(text).digest().readUInt32BE(0);
}

// Returns the value of cookie `name` from the request, or undefined.
function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// TODO step 1: identify the visitor by the `vid` cookie. A request without one gets a fresh
//   random id (crypto.randomUUID()) in Set-Cookie, and is routed with that id.
// TODO step 2: replace round-robin with a hash ring: many points per backend, placed by
//   hash(url + '#' + i) and sorted. A visitor goes to the first point at or after hash(vid).
// TODO step 3: every HEALTH_INTERVAL_MS, GET /health on each backend and skip the ones that fail.
//   If the chosen backend refuses the connection, try the next backend on the ring.
let next = 0;
function chooseBackend() {
  const url = upstreams[next % upstreams.length];
  next += 1;
  return url;
}

// Sends the request to one backend. Rejects only if the backend could not be reached at all.
function forward(req, body, res, url, extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const target = new URL(req.url, url);
    const upstreamReq = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent: false },
      (upstreamRes) => {
        const headers = { ...upstreamRes.headers };
        if (extraHeaders.setCookie) {
          headers['set-cookie'] = [...(headers['set-cookie'] ?? []), extraHeaders.setCookie];
        }
        res.writeHead(upstreamRes.statusCode, headers);
        upstreamRes.pipe(res);
        upstreamRes.on('end', resolve);
      },
    );
    upstreamReq.on('error', reject);
    upstreamReq.end(body);
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    const url = chooseBackend();
    try {
      await forward(req, body, res, url);
    } catch {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`Backend ${url} could not be reached\n`);
    }
  });
});

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => {
  console.log(`Proxy on http://${host}:${port} in front of ${upstreams.join(', ')}`);
});
