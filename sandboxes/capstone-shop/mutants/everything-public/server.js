// The capstone shop: login, cart and checkout on three instances. Every piece of per-user and
// shared state lives in the store, so instances can die, restart and be replaced at any moment.
// Checkout is idempotent and stock is taken atomically; a store outage becomes a 503, not a crash;
// personal answers are marked private so no shared cache keeps them.
import http from 'node:http';
import crypto from 'node:crypto';
import { createAtomicStore } from './_kit/atomic-store.mjs';

const store = createAtomicStore(process.env.STORE_URL);
const PAYMENT_MS = Number(process.env.PAYMENT_MS) || 500;
const SESSION_TTL = 3600;
const PRODUCTS = { lamp: { name: 'Desk lamp', price: 4500 }, mug: { name: 'Mug', price: 1200 } };

const newId = () => crypto.randomBytes(32).toString('base64url');

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// Personal answers must never be stored by a shared cache; `private, no-store` says so.
function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'public, max-age=5',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text || '{}');
  } catch {
    return null;
  }
}

async function sessionOf(req) {
  const sid = readCookie(req, 'sid');
  const session = sid ? await store.get(`session:${sid}`) : undefined;
  return session ? { sid, session } : null;
}

async function charge(card, cents) {
  await new Promise((resolve) => setTimeout(resolve, PAYMENT_MS));
  await store.incrBy(`charged:${card}`, cents);
}

async function checkout(user, cart, card) {
  const taken = [];
  for (const { sku, qty } of cart) {
    const left = await store.incrBy(`stock:${sku}`, -qty);
    taken.push({ sku, qty });
    if (left < 0) {
      for (const t of taken) await store.incrBy(`stock:${t.sku}`, t.qty); // undo every line
      return { status: 409, body: { error: `not enough ${sku} left` } };
    }
  }
  const total = cart.reduce((sum, { sku, qty }) => sum + PRODUCTS[sku].price * qty, 0);
  await charge(card, total);
  return { status: 201, body: { order: { id: crypto.randomUUID(), user, items: cart, total } } };
}

async function handle(req, res) {
  const route = `${req.method} ${req.url}`;
  if (route === 'GET /health') return send(res, 200, { ok: true });

  if (route === 'GET /products') {
    const list = [];
    for (const [sku, p] of Object.entries(PRODUCTS)) {
      list.push({ sku, ...p, left: (await store.get(`stock:${sku}`)) ?? 0 });
    }
    // The same for everyone, so a shared cache may keep it briefly.
    return send(res, 200, { products: list }, { 'cache-control': 'public, max-age=5' });
  }

  const body = req.method === 'POST' ? await readJson(req) : {};
  if (body === null) return send(res, 400, { error: 'the body must be JSON' });

  if (route === 'POST /login') {
    if (typeof body.user !== 'string' || !/^[a-z]{1,20}$/.test(body.user)) {
      return send(res, 400, { error: 'send {"user": "alice"} (lowercase letters)' });
    }
    const sid = newId();
    await store.set(`session:${sid}`, { user: body.user }, { ttlSeconds: SESSION_TTL });
    return send(
      res,
      200,
      { user: body.user },
      { 'set-cookie': `sid=${sid}; HttpOnly; SameSite=Lax; Path=/` },
    );
  }

  const current = await sessionOf(req);
  if (!current) return send(res, 401, { error: 'log in first' });
  const { sid, session } = current;
  const cartKey = `cart:${session.user}`;

  if (route === 'GET /me') return send(res, 200, { user: session.user });
  if (route === 'GET /cart') return send(res, 200, { items: (await store.get(cartKey)) ?? [] });
  if (route === 'POST /cart/items') {
    if (!PRODUCTS[body.sku] || !Number.isInteger(body.qty) || body.qty < 1 || body.qty > 10) {
      return send(res, 400, { error: 'send {"sku": "lamp"|"mug", "qty": 1-10}' });
    }
    // Idempotent by key too: a retried "add" must not add twice.
    const key = req.headers['idempotency-key'];
    if (
      key &&
      !(await store.setIfAbsent(`idem:add:${session.user}:${key}`, true, { ttlSeconds: 3600 }))
    ) {
      return send(res, 200, { items: (await store.get(cartKey)) ?? [] });
    }
    const items = (await store.get(cartKey)) ?? [];
    const line = items.find((i) => i.sku === body.sku);
    if (line) line.qty += body.qty;
    else items.push({ sku: body.sku, qty: body.qty });
    await store.set(cartKey, items, { ttlSeconds: SESSION_TTL });
    await store.set(`session:${sid}`, session, { ttlSeconds: SESSION_TTL }); // renew the session
    return send(res, 200, { items });
  }

  if (route === 'POST /checkout') {
    const key = req.headers['idempotency-key'];
    if (!key) return send(res, 400, { error: 'send an Idempotency-Key header' });
    if (typeof body.card !== 'string') return send(res, 400, { error: 'send {"card": "…"}' });
    const recordKey = `idem:checkout:${session.user}:${key}`;
    // A pending claim expires, so a checkout whose instance died mid-way can be retried.
    if (!(await store.setIfAbsent(recordKey, { state: 'pending' }, { ttlSeconds: 10 }))) {
      const record = await store.get(recordKey);
      if (record?.state !== 'done')
        return send(res, 409, { error: 'checkout in progress' }, { 'retry-after': '1' });
      return send(res, record.status, record.body);
    }
    const cart = (await store.get(cartKey)) ?? [];
    if (cart.length === 0) {
      await store.delete(recordKey);
      return send(res, 409, { error: 'the cart is empty' });
    }
    const result = await checkout(session.user, cart, body.card);
    if (result.status === 201) await store.delete(cartKey);
    await store.set(recordKey, { state: 'done', ...result }, { ttlSeconds: 86400 });
    return send(res, result.status, result.body);
  }

  send(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    // The store is down or slow: say so, and let the client retry; never crash the process.
    console.error(`store problem: ${error.message}`);
    if (!res.headersSent) send(res, 503, { error: 'try again shortly' }, { 'retry-after': '1' });
    else res.destroy();
  });
});

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => console.log(`Shop on http://${host}:${port}`));
