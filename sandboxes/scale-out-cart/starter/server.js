// The cart from the server-side cart lesson, now run as 3 instances behind a round-robin balancer.
// Each instance keeps sessions and coupon attempts in its own memory. Your job: move both into the
// kit's store (STORE_URL), so that every instance sees the same shopper.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createStore } from './_kit/store-client.mjs';

const CATALOG = {
  'tea-sencha': { name: 'Sencha green tea, 100 g', price: 850 },
  'mug-blue': { name: 'Blue stoneware mug', price: 1200 },
  kettle: { name: 'Gooseneck kettle', price: 4500 },
};
const COUPONS = { WELCOME10: 10 };
const ATTEMPTS_PER_WINDOW = 5;
const WINDOW_SECONDS = Number(process.env.COUPON_WINDOW_SECONDS) || 60;
const SESSION_SECONDS = 30 * 60; // use it as the sessions' ttl in the store
const INSTANCE = process.env.INSTANCE || '1';

// The balancer starts the kit's store and gives every instance its address as STORE_URL.
// Nothing uses it yet. From an async function: await store.get(key), store.set(key, value,
// { ttlSeconds }), store.delete(key).
const store = createStore(process.env.STORE_URL);

// Session id -> { cart, coupon }, and session id -> coupon attempts. Only THIS instance sees them.
const sessions = new Map();
const attempts = new Map();
const page = readFileSync(new URL('./page.html', import.meta.url));

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// Finds this shopper's session in the store, or starts one under a fresh id WE choose.
async function loadSession(req, res) {
  const sent = readCookie(req, 'sid');
  const session = sent ? sessions.get(sent) : undefined;
  if (session) return { id: sent, session };
  const id = crypto.randomUUID();
  res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; SameSite=Lax; Path=/`);
  return { id, session: { cart: [], coupon: null } };
}

// Called after every change, before answering.
async function saveSession(id, session) {
  sessions.set(id, session);
}

// At most 5 coupon attempts per shopper per window. Returns 0 if this attempt may go ahead,
// otherwise the seconds until the window ends (for Retry-After).
async function allowAttempt(id) {
  const now = Date.now();
  let window = attempts.get(id);
  if (!window || window.resetAt <= now) window = { count: 0, resetAt: now + WINDOW_SECONDS * 1000 };
  if (window.count >= ATTEMPTS_PER_WINDOW) return Math.ceil((window.resetAt - now) / 1000);
  window.count += 1;
  attempts.set(id, window);
  return 0;
}

function cartView({ cart, coupon }) {
  const items = cart.map(({ sku, qty }) => ({ sku, qty, ...CATALOG[sku] }));
  const count = items.reduce((sum, item) => sum + item.qty, 0);
  const subtotal = items.reduce((sum, item) => sum + item.qty * item.price, 0);
  const total = subtotal - Math.round((subtotal * (COUPONS[coupon] ?? 0)) / 100);
  return { items, count, coupon, total, servedBy: `instance-${INSTANCE}` };
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
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

async function handle(req, res) {
  const path = new URL(req.url, 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }
  if (req.method === 'GET' && path === '/cart') {
    const { session } = await loadSession(req, res);
    return send(res, 200, cartView(session));
  }
  if (req.method === 'POST' && path === '/cart/items') {
    const { sku, qty } = (await readJson(req)) ?? {};
    if (!Object.hasOwn(CATALOG, sku)) return send(res, 400, { error: `Unknown sku: ${sku}` });
    if (!Number.isInteger(qty) || qty < 1 || qty > 99) {
      return send(res, 400, { error: 'qty must be a whole number from 1 to 99' });
    }
    const { id, session } = await loadSession(req, res);
    const line = session.cart.find((item) => item.sku === sku);
    if (line) line.qty = Math.min(99, line.qty + qty);
    else session.cart.push({ sku, qty });
    await saveSession(id, session);
    return send(res, 200, cartView(session));
  }
  if (req.method === 'POST' && path === '/cart/coupon') {
    const { code } = (await readJson(req)) ?? {};
    const { id, session } = await loadSession(req, res);
    await saveSession(id, session); // so a new shopper's attempts count against a stored session
    const waitSeconds = await allowAttempt(id);
    if (waitSeconds > 0) {
      return send(
        res,
        429,
        { error: 'Too many coupon attempts; try later' },
        {
          'Retry-After': String(waitSeconds),
        },
      );
    }
    if (!Object.hasOwn(COUPONS, code)) return send(res, 400, { error: 'No such coupon' });
    session.coupon = code;
    await saveSession(id, session);
    return send(res, 200, cartView(session));
  }
  send(res, 404, { error: `No route for ${req.method} ${path}` });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    // The store is down or refused: say so instead of crashing the instance.
    console.error(error.message);
    if (!res.headersSent) send(res, 503, { error: 'The session store is unavailable' });
  });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host, () => {
  console.log(`Cart instance ${INSTANCE} listening on http://${host}:${server.address().port}`);
});
