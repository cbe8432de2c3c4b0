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

class Cart {
  lines = [];

  /** Returns an error message, or adds the units and returns null. */
  add(sku, qty) {
    if (!Number.isInteger(qty)) return 'qty must be a whole number';
    if (!Object.hasOwn(CATALOG, sku)) return `we do not sell ${sku}`;
    const line = this.lines.find((l) => l.sku === sku);
    const after = (line ? line.qty : 0) + qty;
    if (qty < 1 || after > 99) return 'each product: 1 to 99 units';
    if (line) line.qty = after;
    else this.lines.push({ sku, qty });
    return null;
  }

  remove(sku) {
    this.lines = this.lines.filter((l) => l.sku !== sku);
  }

  toJSON() {
    const items = this.lines.map((l) => ({ ...l, ...CATALOG[l.sku] }));
    const count = items.reduce((s, i) => s + i.qty, 0);
    return { items, count, total: items.reduce((s, i) => s + i.qty * i.price, 0) };
  }
}

const carts = new Map(); // sid -> Cart

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
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

function cookie(req, name) {
  const match = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(req.headers.cookie ?? '');
  return match?.[1];
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  const cart = carts.get(cookie(req, 'sid'));
  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }
  if (req.method === 'GET' && path === '/cart') return send(res, 200, cart ?? new Cart());
  if (req.method === 'POST' && path === '/cart/items') {
    const body = await readJson(req);
    if (!body || typeof body !== 'object') return send(res, 400, { error: 'send JSON' });
    const target = cart ?? new Cart();
    const problem = target.add(body.sku, body.qty);
    if (problem) return send(res, 400, { error: problem });
    if (!cart) {
      const sid = crypto.randomUUID();
      carts.set(sid, target);
      res.setHeader('Set-Cookie', `sid=${sid}; HttpOnly; Secure; SameSite=Lax; Path=/`);
    }
    return send(res, 200, target);
  }
  if (req.method === 'DELETE' && path.startsWith('/cart/items/')) {
    cart?.remove(path.slice('/cart/items/'.length));
    return send(res, 200, cart ?? new Cart());
  }
  send(res, 404, { error: 'not found' });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host);
