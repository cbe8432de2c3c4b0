// A cart instance that can be replaced while traffic flows: sessions live in the kit's store,
// SIGTERM starts a graceful drain (GET /ready answers 503, in-flight requests finish, then exit),
// and tokens name their signing key (kid) so keys can rotate across a rolling deploy.
import http from 'node:http';
import crypto from 'node:crypto';
import { createStore } from './_kit/store-client.mjs';

const INSTANCE = process.env.INSTANCE || '1';
const SESSION_SECONDS = 30 * 60;
// How long to keep answering (with /ready at 503) before closing, so the balancer notices.
const DRAIN_DELAY_MS = Number(process.env.DRAIN_DELAY_MS ?? 300);
// Signing keys, newest first: the first signs, every one listed verifies. In production these come
// from a secret manager; here a deploy changes JWT_KEYS, e.g. '[{"kid":"k2","secret":"…"},…]'.
const KEYS = JSON.parse(
  process.env.JWT_KEYS ?? '[{"kid":"dev","secret":"dev-only-secret-at-least-32-bytes!!"}]',
);
const CATALOG = { 'mug-blue': 1200, kettle: 4500, 'tea-sencha': 850 };

const store = createStore(process.env.STORE_URL);
let draining = false;

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

async function loadSession(req, res) {
  const sent = readCookie(req, 'sid');
  const session = sent ? await store.get(`session:${INSTANCE}:${sent}`) : undefined;
  if (session) return { id: sent, session };
  const id = crypto.randomUUID();
  res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; SameSite=Lax; Path=/`);
  return { id, session: { cart: [] } };
}

const saveSession = (id, session) =>
  store.set(`session:${INSTANCE}:${id}`, session, { ttlSeconds: SESSION_SECONDS });

// ---- tokens with a key id -------------------------------------------------------------------------
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (secret, data) => crypto.createHmac('sha256', secret).update(data).digest('base64url');

function issueToken(sub) {
  const { kid, secret } = KEYS[0];
  const data = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64({ sub, exp: Math.floor(Date.now() / 1000) + 600 })}`;
  return `${data}.${hmac(secret, data)}`;
}

function verifyToken(token) {
  const [header, payload, signature, ...extra] = String(token ?? '').split('.');
  if (!signature || extra.length > 0) return null;
  let head;
  let claims;
  try {
    head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  // The kid picks the key; an unknown kid is refused, never "tried against every key".
  const key = KEYS.find((k) => k.kid === head.kid);
  if (!key || head.alg !== 'HS256') return null;
  const expected = Buffer.from(hmac(key.secret, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 ? claims : null;
}

// ---- routes -----------------------------------------------------------------------------------------
function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  if (req.method === 'GET' && path === '/health') return send(res, 200, { ok: true });
  if (req.method === 'GET' && path === '/ready') {
    return send(res, draining ? 503 : 200, { ready: !draining, instance: INSTANCE });
  }
  if (req.method === 'GET' && path === '/cart') {
    const { session } = await loadSession(req, res);
    return send(res, 200, { cart: session.cart, instance: INSTANCE });
  }
  if (req.method === 'POST' && path === '/cart/items') {
    const { sku, qty } = (await readJson(req)) ?? {};
    if (!Object.hasOwn(CATALOG, sku) || !Number.isInteger(qty) || qty < 1 || qty > 99) {
      return send(res, 400, { error: 'sku must be in the catalog and qty from 1 to 99' });
    }
    const { id, session } = await loadSession(req, res);
    const line = session.cart.find((item) => item.sku === sku);
    if (line) line.qty = Math.min(99, line.qty + qty);
    else session.cart.push({ sku, qty });
    await saveSession(id, session);
    return send(res, 200, { cart: session.cart, instance: INSTANCE });
  }
  if (req.method === 'GET' && path === '/checkout') {
    // Stands in for slow work (a payment call): a request that is in flight for a while.
    await sleep(Math.min(Number(url.searchParams.get('ms')) || 200, 3000));
    return send(res, 200, { ok: true, instance: INSTANCE });
  }
  if (req.method === 'POST' && path === '/token') {
    const { user } = (await readJson(req)) ?? {};
    if (typeof user !== 'string' || user === '') return send(res, 400, { error: 'user required' });
    return send(res, 200, { token: issueToken(user) });
  }
  if (req.method === 'GET' && path === '/whoami') {
    const claims = verifyToken((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!claims) return send(res, 401, { error: 'Invalid or expired token' });
    return send(res, 200, { user: claims.sub, instance: INSTANCE });
  }
  send(res, 404, { error: `No route for ${req.method} ${path}` });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error.message);
    if (!res.headersSent) send(res, 503, { error: 'Temporarily unavailable' });
  });
});

// Graceful shutdown: stop looking ready, keep serving briefly, stop accepting, finish, exit.
function drain(signal) {
  if (draining) return;
  draining = true;
  console.log(`${signal}: draining (ready=false), in-flight requests will finish`);
  setTimeout(() => {
    server.close(() => process.exit(0));
    server.closeIdleConnections?.();
    // A request that never ends must not block the deploy forever.
    setTimeout(() => process.exit(1), 10_000).unref();
  }, DRAIN_DELAY_MS);
}
process.on('SIGTERM', () => drain('SIGTERM'));
process.on('SIGINT', () => drain('SIGINT'));

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host, () => {
  console.log(`Cart instance ${INSTANCE} listening on http://${host}:${server.address().port}`);
});
