// A checkout on three instances that stays correct when clients retry and buyers race:
// an Idempotency-Key makes a retried order a replay instead of a second charge, and the stock is
// decremented inside the store in one atomic step, so it can never go below zero.
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
  // Take the stock first, atomically. Going below zero means someone else got there first.
  const left = await store.incrBy(`stock:${sku}`, -qty);
  if (left < 0) {
    await store.incrBy(`stock:${sku}`, qty); // give back what we took
    return { status: 409, body: { error: `only ${left + qty} ${sku} left` } };
  }
  const total = PRICES[sku] * qty;
  await charge(card, total);
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
  const key = req.headers['idempotency-key'];
  if (!key || key.length > 200) return send(res, 400, { error: 'send an Idempotency-Key header' });

  // Claim the key in one atomic step. Whoever claims it does the work; everyone else replays.
  const fingerprint = crypto
    .createHash('sha256')
    .update(JSON.stringify([sku, qty, card]))
    .digest('hex');
  const recordKey = `idem:${key}`;
  const claimed = await store.setIfAbsent(
    recordKey,
    { state: 'pending', fingerprint },
    { ttlSeconds: KEY_TTL },
  );
  if (!claimed) {
    const record = await store.get(recordKey);
    if (!record) {
      return send(res, 422, { error: 'this Idempotency-Key was used for a different order' });
    }
    if (record.state === 'pending') {
      return send(
        res,
        409,
        { error: 'the first request with this key is still running' },
        { 'retry-after': '1' },
      );
    }
    return send(res, record.status, record.body, { 'idempotent-replayed': 'true' });
  }

  let result;
  try {
    result = await placeOrder({ sku, qty, card });
  } catch (error) {
    await store.delete(recordKey); // nothing happened: let a retry try again
    throw error;
  }
  await store.set(recordKey, { state: 'done', fingerprint, ...result }, { ttlSeconds: KEY_TTL });
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
