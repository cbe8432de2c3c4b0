// A cart on three instances behind a sticky balancer, with sessions in the kit's store: an instance
// can die without taking anyone's cart along, and a store outage is answered with 503, not a crash.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createStore } from './_kit/store-client.mjs';

const CATALOG = {
  'tea-sencha': { name: 'Sencha green tea, 100 g', price: 850 },
  'mug-blue': { name: 'Blue stoneware mug', price: 1200 },
  kettle: { name: 'Gooseneck kettle', price: 4500 },
};
const SESSION_SECONDS = 30 * 60;
const INSTANCE = process.env.INSTANCE || '1';

const store = createStore(process.env.STORE_URL);
const page = readFileSync(new URL('./page.html', import.meta.url));

// Thrown when the store cannot be reached, so the handler can answer 503 instead of crashing.
class StoreDown extends Error {}
async function fromStore(promise) {
  try {
    return await promise;
  } catch (error) {
    throw new StoreDown(error.message);
  }
}

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

async function loadSession(req, res) {
  const sent = readCookie(req, 'sid');
  const session = sent ? await fromStore(store.get(`session:${sent}`)) : undefined;
  if (session) return { id: sent, session };
  const id = crypto.randomUUID();
  res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; SameSite=Lax; Path=/`);
  return { id, session: { cart: [] } };
}

const saveSession = (id, session) =>
  fromStore(store.set(`session:${id}`, session, { ttlSeconds: SESSION_SECONDS }));

function cartView({ cart }) {
  const items = cart.map(({ sku, qty }) => ({ sku, qty, ...CATALOG[sku] }));
  const count = items.reduce((sum, item) => sum + item.qty, 0);
  const total = items.reduce((sum, item) => sum + item.qty * item.price, 0);
  return { items, count, total, servedBy: `instance-${INSTANCE}` };
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
  send(res, 404, { error: `No route for ${req.method} ${path}` });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    if (res.headersSent) return res.destroy();
    if (error instanceof StoreDown) {
      // Not this request's fault and not permanent: tell the client to come back shortly. The next
      // request tries the store again, so service resumes by itself when the store is back.
      console.error(`store unavailable: ${error.message}`);
      res.removeHeader('Set-Cookie');
      return send(res, 500, { error: 'The cart is unavailable' });
    }
    console.error(error);
    send(res, 500, { error: 'Internal error' });
  });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host, () => {
  console.log(`Cart instance ${INSTANCE} listening on http://${host}:${server.address().port}`);
});
