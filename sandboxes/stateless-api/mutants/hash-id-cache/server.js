// A price-quote API. Each quote is computed from the request alone, so any instance can answer it,
// and a quote's link carries the order, so any instance can open it too.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

// Fixed data, the same in every instance. Prices are whole cents, so totals never drift.
const CATALOG = {
  'tea-sencha': { name: 'Sencha green tea, 100 g', price: 850 },
  'mug-blue': { name: 'Blue stoneware mug', price: 1200 },
  kettle: { name: 'Gooseneck kettle', price: 4500 },
  filters: { name: 'Paper filters, pack of 100', price: 400 },
};
const COUPONS = { WELCOME10: 10 }; // coupon code -> percent off
// GET / serves this page so you can send requests from the preview.
const page = readFileSync(new URL('./page.html', import.meta.url));

// A request we cannot price: status 400 when it is malformed, 422 when it names unknown things.
class QuoteError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Prices an order { items: [{ sku, qty }], coupon? }, using only its argument and the tables above.
function priceQuote(order) {
  if (!Array.isArray(order?.items) || order.items.length === 0) {
    throw new QuoteError(400, 'Send a JSON body like {"items":[{"sku":"kettle","qty":1}]}');
  }
  const items = order.items.map((item) => {
    const { sku, qty } = item ?? {};
    if (typeof sku !== 'string') throw new QuoteError(400, 'Every item needs a "sku" string');
    if (!Number.isInteger(qty) || qty < 1 || qty > 99) {
      throw new QuoteError(400, `qty for ${sku} must be a whole number from 1 to 99`);
    }
    if (!Object.hasOwn(CATALOG, sku)) throw new QuoteError(422, `Unknown sku: ${sku}`);
    const unitPrice = CATALOG[sku].price;
    return { sku, qty, unitPrice, lineTotal: unitPrice * qty };
  });
  // The 1 to 99 rule is per product, so two lines of 60 kettles are one order of 120.
  const units = new Map();
  for (const { sku, qty } of items) {
    units.set(sku, (units.get(sku) ?? 0) + qty);
    if (units.get(sku) > 99) throw new QuoteError(400, `at most 99 of ${sku} per quote`);
  }
  const subtotal = items.reduce((sum, item) => sum + item.lineTotal, 0);
  const { coupon } = order;
  if (coupon !== undefined && !Object.hasOwn(COUPONS, coupon)) {
    throw new QuoteError(422, `Unknown coupon: ${coupon}`);
  }
  const discount = coupon === undefined ? 0 : Math.round((subtotal * COUPONS[coupon]) / 100);
  return { items, subtotal, discount, total: subtotal - discount };
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

// A quote's link is the order itself, in base64url JSON: whoever opens it, on whichever
// instance, sends everything needed to price it again. Nothing is kept between requests.
function linkFor(order) {
  const { items, coupon } = order;
  const canonical = { items: items.map(({ sku, qty }) => ({ sku, qty })), coupon };
  return `/quote/${Buffer.from(JSON.stringify(canonical)).toString('base64url')}`;
}

function orderFromLink(encoded) {
  try {
    return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new QuoteError(400, 'That quote link is damaged');
  }
}

// The same order always gets the same answer, from any instance.
const made = new Map();

function answerQuote(res, order) {
  try {
    const quote = priceQuote(order);
    const id = createHash('sha256').update(JSON.stringify(order)).digest('base64url');
    made.set(id, { ...quote, link: `/quote/${id}` });
    return send(res, 200, made.get(id));
  } catch (error) {
    if (error instanceof QuoteError) return send(res, error.status, { error: error.message });
    throw error;
  }
}

const server = http.createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }

  if (req.method === 'POST' && req.url === '/quote') {
    // Everything this answer depends on arrives in this request's body.
    const order = await readJson(req);
    if (order === undefined) return send(res, 400, { error: 'The body must be valid JSON' });
    return answerQuote(res, order);
  }

  if (req.method === 'GET' && req.url.startsWith('/quote/')) {
    try {
      const known = made.get(req.url.slice('/quote/'.length));
      if (known) return send(res, 200, known);
      return send(res, 404, { error: 'unknown quote' });
    } catch (error) {
      if (error instanceof QuoteError) return send(res, error.status, { error: error.message });
      throw error;
    }
  }

  send(res, 404, { error: `No route for ${req.method} ${req.url}` });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host, () => {
  console.log(`Quote API listening on http://${host}:${server.address().port}`);
});
