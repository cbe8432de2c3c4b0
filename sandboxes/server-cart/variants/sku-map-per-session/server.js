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

const sessions = new Map(); // sid -> Map(sku -> qty)

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

function view(lines) {
  const items = [...lines].map(([sku, qty]) => ({ sku, qty, ...CATALOG[sku] }));
  return {
    items,
    count: items.reduce((n, i) => n + i.qty, 0),
    total: items.reduce((n, i) => n + i.qty * i.price, 0),
  };
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  const lines = sessions.get(cookie(req, 'sid'));
  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }
  if (req.method === 'GET' && path === '/cart') return send(res, 200, view(lines ?? new Map()));
  if (req.method === 'POST' && path === '/cart/items') {
    const body = await readJson(req);
    const sku = body?.sku;
    const qty = body?.qty;
    if (typeof sku !== 'string' || !Object.hasOwn(CATALOG, sku)) {
      return send(res, 400, { error: 'unknown sku' });
    }
    const next = (lines?.get(sku) ?? 0) + qty;
    if (!Number.isInteger(qty) || qty < 1 || next > 99) {
      return send(res, 400, { error: 'between 1 and 99 of each product' });
    }
    let mine = lines;
    if (!mine) {
      const sid = crypto.randomBytes(24).toString('base64url');
      mine = new Map();
      sessions.set(sid, mine);
      res.setHeader('Set-Cookie', `sid=${sid}; Path=/; HttpOnly; Secure; SameSite=Lax`);
    }
    mine.set(sku, next);
    return send(res, 200, view(mine));
  }
  if (req.method === 'DELETE' && path.startsWith('/cart/items/')) {
    lines?.delete(path.split('/')[3]);
    return send(res, 200, view(lines ?? new Map()));
  }
  send(res, 404, { error: 'no such route' });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host);
