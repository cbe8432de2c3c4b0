// A load-balancing proxy in front of the backends listed in UPSTREAMS.
// Each visitor is placed by consistent hashing on their `vid` cookie, so every copy of this proxy,
// with no table in memory, sends the same visitor to the same backend. Health checks take a sick
// backend out; a backend that refuses a connection is skipped for the next one on the ring.
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

// The ring: many points per backend, sorted. A backend's points come from its URL, not its place
// in the list, so removing one backend leaves every other backend's points where they were.
const POINTS_PER_BACKEND = 160;
const ring = upstreams
  .flatMap((url) =>
    Array.from({ length: POINTS_PER_BACKEND }, (_, i) => ({ at: hash(`${url}#${i}`), url })),
  )
  .sort((a, b) => a.at - b.at);

// Backends in ring order for this key: the first healthy one wins, the rest are fallbacks.
function candidatesFor(key) {
  const h = hash(key);
  let start = ring.findIndex((point) => point.at >= h);
  if (start === -1) start = 0; // past the last point: wrap around to the first
  const order = [];
  for (let i = 0; i < ring.length && order.length < upstreams.length; i += 1) {
    const { url } = ring[(start + i) % ring.length];
    if (!order.includes(url)) order.push(url);
  }
  return order;
}

const healthy = new Map(upstreams.map((url) => [url, true]));

async function checkHealth(url) {
  try {
    const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(1000) });
    healthy.set(url, res.ok);
  } catch {
    healthy.set(url, false);
  }
}
// Find out which backends are healthy before we take traffic.
upstreams.forEach(checkHealth);

// Sends the request to one backend. Rejects only if the backend could not be reached at all.
function forward(req, body, res, url, extraHeaders) {
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
    let vid = readCookie(req, 'vid');
    const extraHeaders = {};
    if (!vid) {
      vid = crypto.randomUUID();
      extraHeaders.setCookie = `vid=${vid}; Path=/; HttpOnly; SameSite=Lax`;
    }
    const order = candidatesFor(vid);
    // Healthy backends first, in ring order; the others only as a last resort.
    const tries = [...order.filter((u) => healthy.get(u)), ...order.filter((u) => !healthy.get(u))];
    for (const url of tries) {
      try {
        await forward(req, body, res, url, extraHeaders);
        return;
      } catch {
        if (res.headersSent) return res.destroy(); // it failed halfway: too late to try another
        healthy.set(url, false); // refused: skip it until its /health answers again
      }
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('No backend could be reached\n');
  });
});

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => {
  console.log(`Proxy on http://${host}:${port} in front of ${upstreams.join(', ')}`);
});
