// A shopping cart kept in a server-side session.
// The browser holds only a random session id in a cookie; each cart lives in this process's memory.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';

// What the shop sells. Prices are whole cents, so totals never suffer from floating-point rounding.
const CATALOG = {
  'tea-sencha': { name: 'Sencha green tea, 100 g', price: 850 },
  'mug-blue': { name: 'Blue stoneware mug', price: 1200 },
  kettle: { name: 'Gooseneck kettle', price: 4500 },
  filters: { name: 'Paper filters, pack of 100', price: 400 },
};
const MAX_QTY = 99; // per line: a cart never holds more than 99 of one product

// GET / serves this page so you can try the routes from the preview.
const page = readFileSync(new URL('./page.html', import.meta.url));

// Session id -> { cart: [{ sku, qty }] }. This map IS the state, and only this process has it.
const sessions = new Map();
let lastSession;

// Returns the value of cookie `name` from the request, or undefined.
function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// This shopper's session, or undefined. The cookie names a session; it never creates one.
function existingSession(req) {
  const found =
    sessions.get(readCookie(req, 'sid')) ?? (readCookie(req, 'sid') ? undefined : lastSession);
  if (found) lastSession = found;
  return found;
}

// Finds this shopper's session, or starts a new one under an id WE generate and tells the browser.
// Only requests that store something call this, so a visit that changes nothing costs no memory.
function sessionFor(req, res) {
  let session = existingSession(req);
  if (!session) {
    const id = crypto.randomUUID();
    session = { cart: [] };
    sessions.set(id, session);
    lastSession = session;
    res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; Secure; SameSite=Lax; Path=/`);
  }
  return session;
}

// The cart as the shopper sees it: each line with name and price, the number of units, the total.
function cartView(cart) {
  const items = cart.map(({ sku, qty }) => ({ sku, qty, ...CATALOG[sku] }));
  const count = items.reduce((sum, item) => sum + item.qty, 0);
  const total = items.reduce((sum, item) => sum + item.qty * item.price, 0);
  return { items, count, total };
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

// Reads the request body as JSON; undefined if it isn't valid JSON.
async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;

  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }

  if (req.method === 'GET' && path === '/cart') {
    // No session yet means an empty cart; there is nothing to remember, so none is created.
    return send(res, 200, cartView(existingSession(req)?.cart ?? []));
  }

  if (req.method === 'POST' && path === '/cart/items') {
    const { sku, qty } = (await readJson(req)) ?? {};
    if (!Object.hasOwn(CATALOG, sku)) {
      return send(res, 400, { error: `Unknown sku: ${JSON.stringify(sku)}` });
    }
    if (!Number.isInteger(qty) || qty < 1 || qty > MAX_QTY) {
      return send(res, 400, { error: `qty must be a whole number from 1 to ${MAX_QTY}` });
    }
    // One line per product: adding a sku that is already in the cart raises its quantity,
    // and the line obeys the same 1 to 99 rule as a single request.
    const inCart = existingSession(req)?.cart.find((item) => item.sku === sku)?.qty ?? 0;
    if (inCart + qty > MAX_QTY) {
      return send(res, 400, { error: `at most ${MAX_QTY} of ${sku} per cart, you have ${inCart}` });
    }
    const session = sessionFor(req, res);
    const line = session.cart.find((item) => item.sku === sku);
    if (line) line.qty += qty;
    else session.cart.push({ sku, qty });
    return send(res, 200, cartView(session.cart));
  }

  if (req.method === 'DELETE' && path.startsWith('/cart/items/')) {
    const sku = path.slice('/cart/items/'.length);
    const session = existingSession(req);
    // Removing a line that is already gone changes nothing more, so a retry is harmless.
    if (session) session.cart = session.cart.filter((item) => item.sku !== sku);
    return send(res, 200, cartView(session?.cart ?? []));
  }

  send(res, 404, { error: `No route for ${req.method} ${path}` });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host, () => {
  console.log(`Cart server listening on http://${host}:${server.address().port}`);
});
