// The capstone shop: login, cart and checkout. It was written for one server, and it shows:
// everything it knows lives in this process. Three copies run behind a balancer, and the checks
// kill and restart them, stop the store for 2 s and retry like a phone on a train.
// Decide where each piece of state should live, write it down in DESIGN.md, and rebuild.
// You have everything from the course: the store (./_kit/atomic-store.mjs: get, set,
// setIfAbsent, incrBy, delete), Idempotency-Keys, atomic stock, 503 + Retry-After,
// Cache-Control.
import http from 'node:http';
import crypto from 'node:crypto';

const PAYMENT_MS = Number(process.env.PAYMENT_MS) || 500;
const PRODUCTS = { lamp: { name: 'Desk lamp', price: 4500 }, mug: { name: 'Mug', price: 1200 } };

const sessions = new Map(); // sid -> { user }
const carts = new Map(); // user -> [{ sku, qty }]
const stock = { lamp: 5, mug: 50 };
const charged = new Map(); // card -> cents (the payment provider, in memory for now)

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
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

async function charge(card, cents) {
  await new Promise((resolve) => setTimeout(resolve, PAYMENT_MS));
  charged.set(card, (charged.get(card) ?? 0) + cents);
}

async function handle(req, res) {
  const route = `${req.method} ${req.url}`;
  if (route === 'GET /health') return send(res, 200, { ok: true });
  if (route === 'GET /products') {
    const list = Object.entries(PRODUCTS).map(([sku, p]) => ({ sku, ...p, left: stock[sku] }));
    return send(res, 200, { products: list });
  }

  const body = req.method === 'POST' ? await readJson(req) : {};
  if (body === null) return send(res, 400, { error: 'the body must be JSON' });

  if (route === 'POST /login') {
    if (typeof body.user !== 'string' || !/^[a-z]{1,20}$/.test(body.user)) {
      return send(res, 400, { error: 'send {"user": "alice"} (lowercase letters)' });
    }
    const sid = crypto.randomBytes(32).toString('base64url');
    sessions.set(sid, { user: body.user });
    return send(
      res,
      200,
      { user: body.user },
      { 'set-cookie': `sid=${sid}; HttpOnly; SameSite=Lax; Path=/` },
    );
  }

  const session = sessions.get(readCookie(req, 'sid'));
  if (!session) return send(res, 401, { error: 'log in first' });
  const cart = carts.get(session.user) ?? [];

  if (route === 'GET /me') return send(res, 200, { user: session.user });
  if (route === 'GET /cart') return send(res, 200, { items: cart });
  if (route === 'POST /cart/items') {
    if (!PRODUCTS[body.sku] || !Number.isInteger(body.qty) || body.qty < 1 || body.qty > 10) {
      return send(res, 400, { error: 'send {"sku": "lamp"|"mug", "qty": 1-10}' });
    }
    const line = cart.find((i) => i.sku === body.sku);
    if (line) line.qty += body.qty;
    else cart.push({ sku: body.sku, qty: body.qty });
    carts.set(session.user, cart);
    return send(res, 200, { items: cart });
  }
  if (route === 'POST /checkout') {
    if (typeof body.card !== 'string') return send(res, 400, { error: 'send {"card": "…"}' });
    if (cart.length === 0) return send(res, 409, { error: 'the cart is empty' });
    for (const { sku, qty } of cart) {
      if (stock[sku] < qty) return send(res, 409, { error: `not enough ${sku} left` });
    }
    const total = cart.reduce((sum, { sku, qty }) => sum + PRODUCTS[sku].price * qty, 0);
    await charge(body.card, total);
    for (const { sku, qty } of cart) stock[sku] -= qty;
    carts.delete(session.user);
    return send(res, 201, {
      order: { id: crypto.randomUUID(), user: session.user, items: cart, total },
    });
  }

  send(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error);
    res.destroy();
  });
});

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => console.log(`Shop on http://${host}:${port}`));
