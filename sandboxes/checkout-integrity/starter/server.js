// A checkout on three instances. It works for one careful buyer at a time, and goes wrong when a
// client retries after a timeout or when buyers race for the last items.
// TODO step 1: make a retried order (same Idempotency-Key) a replay, not a second charge.
// TODO step 2: take the stock in one atomic step inside the store, so it cannot be oversold.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createAtomicStore } from './_kit/atomic-store.mjs';

const store = createAtomicStore(process.env.STORE_URL);
const PAYMENT_MS = Number(process.env.PAYMENT_MS) || 800; // the card network is slow
const PRICES = { lamp: 4500, mug: 1200 }; // cents
const KEY_TTL = 24 * 3600; // keep answers for a day of retries
const page = readFileSync(new URL('./page.html', import.meta.url));

// Seed some stock for the preview (the checks set their own).
for (const sku of Object.keys(PRICES)) await store.setIfAbsent(`stock:${sku}`, 5);

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

// The payment provider: slow, and it charges every time it is asked.
async function charge(card, cents) {
  await new Promise((resolve) => setTimeout(resolve, PAYMENT_MS));
  await store.incrBy(`charged:${card}`, cents);
}

/** Places one order; returns { status, body } so the same answer can be stored and replayed. */
async function placeOrder({ sku, qty, card }) {
  // TODO step 2: between this read and the write below, other buyers read the same number.
  const left = (await store.get(`stock:${sku}`)) ?? 0;
  if (left < qty) return { status: 409, body: { error: `only ${left} ${sku} left` } };
  const total = PRICES[sku] * qty;
  await charge(card, total);
  await store.set(`stock:${sku}`, left - qty);
  return { status: 201, body: { order: { id: crypto.randomUUID(), sku, qty, total } } };
}

async function handle(req, res) {
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  if (req.method === 'GET' && req.url.startsWith('/stock/')) {
    const sku = decodeURIComponent(req.url.slice('/stock/'.length));
    return send(res, 200, { sku, left: (await store.get(`stock:${sku}`)) ?? 0 });
  }
  if (req.method !== 'POST' || req.url !== '/orders') return send(res, 404, { error: 'not found' });

  const body = await readJson(req);
  const { sku, qty, card } = body ?? {};
  if (!PRICES[sku] || !Number.isInteger(qty) || qty < 1 || qty > 10 || typeof card !== 'string') {
    return send(res, 400, { error: 'send {"sku": "lamp"|"mug", "qty": 1-10, "card": "…"}' });
  }
  // TODO step 1: a client that timed out sends the same order again with the same
  //   Idempotency-Key header. Claim the key with store.setIfAbsent before doing any work, and
  //   store the answer under it, so a repeat gets the first answer back instead of a new order.
  const result = await placeOrder({ sku, qty, card });
  send(res, result.status, result.body);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error.message);
    if (!res.headersSent)
      send(res, 503, { error: 'the store is unavailable' }, { 'retry-after': '1' });
    else res.destroy();
  });
});

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => console.log(`Checkout on http://${host}:${port}`));
