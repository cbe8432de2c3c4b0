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

const sessions = new Map();

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

const total = (cart) => cart.reduce((sum, { sku, qty }) => sum + CATALOG[sku].price * qty, 0);
const view = (cart) => ({
  items: cart.map((line) => ({ ...line, name: CATALOG[line.sku].name })),
  count: cart.reduce((sum, line) => sum + line.qty, 0),
  total: total(cart),
});

const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  const session = sessions.get(cookie(req, 'sid'));
  let match;
  if (req.method === 'GET' && /^\/$/.test(pathname)) {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end(page);
  }
  if (req.method === 'GET' && /^\/cart\/?$/.test(pathname))
    return send(res, 200, view(session?.cart ?? []));
  if (req.method === 'POST' && /^\/cart\/items\/?$/.test(pathname)) {
    const { sku, qty } = (await readJson(req)) ?? {};
    const have = session?.cart.find((line) => line.sku === sku);
    if (!Object.hasOwn(CATALOG, sku)) return send(res, 400, { error: `no product "${sku}"` });
    if (!Number.isSafeInteger(qty) || qty <= 0 || qty + (have?.qty ?? 0) >= 100) {
      return send(res, 400, { error: 'quantity out of range' });
    }
    let mine = session;
    if (!mine) {
      const id = crypto.randomUUID();
      mine = { cart: [] };
      sessions.set(id, mine);
      res.setHeader('set-cookie', `sid=${id}; HttpOnly; Secure; SameSite=Strict; Path=/`);
    }
    const line = mine.cart.find((l) => l.sku === sku);
    if (line) line.qty += qty;
    else mine.cart.push({ sku, qty });
    return send(res, 201, view(mine.cart));
  }
  if (req.method === 'DELETE' && (match = /^\/cart\/items\/([^/]+)$/.exec(pathname))) {
    if (session) session.cart = session.cart.filter((line) => line.sku !== match[1]);
    return send(res, 204);
  }
  send(res, 404, { error: 'not found' });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host);
