// Three things a server that keeps state can do well: end every session of a user at once, run a
// multi-step flow whose progress the client cannot fake, and keep a cart that belongs to an account
// rather than to one browser. All state lives in the shared store, so any instance can answer.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createStore } from './_kit/store-client.mjs';

const store = createStore(process.env.STORE_URL);
const page = readFileSync(new URL('./page.html', import.meta.url));
const USERS = { alice: 'wonderland', bob: 'builder' }; // a demo: never keep passwords like this
const PRODUCTS = new Set(['mug', 'kettle', 'filters']);

const sessionKey = (sid) => `session:${sid}`;
const sessionsByUser = new Map(); // user -> their session ids
const userSessionsKey = (user) => `user-sessions:${user}`;
const accountCartKey = (user) => `cart:user:${user}`;

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

const newId = () => crypto.randomBytes(32).toString('base64url');
const cookieFor = (sid) => `sid=${sid}; HttpOnly; SameSite=Lax; Path=/`;

/** The request's session from the store, or an empty one that only exists once it is saved. */
async function loadSession(req) {
  const sid = readCookie(req, 'sid');
  const existing = sid ? await store.get(sessionKey(sid)) : undefined;
  if (existing) return { sid, session: existing, isNew: false };
  return { sid: newId(), session: {}, isNew: true };
}

async function saveSession(res, ctx, session) {
  await store.set(sessionKey(ctx.sid), session, { ttlSeconds: 3600 });
  if (ctx.isNew) res.setHeader('set-cookie', cookieFor(ctx.sid));
}

function addItem(items, sku, qty) {
  const line = items.find((i) => i.sku === sku);
  if (line) line.qty += qty;
  else items.push({ sku, qty });
  return items;
}

async function handle(req, res) {
  const route = `${req.method} ${req.url}`;
  const body = req.method === 'POST' ? await readJson(req) : {};
  if (body === null) return send(res, 400, { error: 'the body must be JSON' });
  const ctx = await loadSession(req);
  const { sid, session } = ctx;

  if (route === 'POST /login') {
    if (USERS[body.user] === undefined || USERS[body.user] !== body.password) {
      return send(res, 401, { error: 'wrong user or password' });
    }
    await store.delete(sessionKey(sid)); // a new id at login (see the previous lesson)
    const fresh = newId();
    await store.set(sessionKey(fresh), { user: body.user }, { ttlSeconds: 3600 });
    // Remember every session of this user, so all of them can be ended at once.
    if (!sessionsByUser.has(body.user)) sessionsByUser.set(body.user, []);
    sessionsByUser.get(body.user).push(fresh);
    return send(res, 200, { user: body.user }, { 'set-cookie': cookieFor(fresh) });
  }
  if (route === 'GET /') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  if (route === 'GET /me') {
    if (!session.user) return send(res, 401, { error: 'not logged in' });
    return send(res, 200, { user: session.user });
  }
  if (route === 'POST /logout-everywhere') {
    if (!session.user) return send(res, 401, { error: 'not logged in' });
    const list = sessionsByUser.get(session.user) ?? [];
    await Promise.all([...new Set([...list, sid])].map((s) => store.delete(sessionKey(s))));
    sessionsByUser.delete(session.user);
    return send(res, 200, { ended: list.length });
  }

  if (route === 'GET /cart' || route === 'POST /cart/items') {
    // A logged-in cart belongs to the account; an anonymous one to this browser's session.
    const cartKey = session.user ? accountCartKey(session.user) : null;
    let items = cartKey ? ((await store.get(cartKey)) ?? []) : (session.cart ?? []);
    if (route === 'POST /cart/items') {
      if (!PRODUCTS.has(body.sku) || !Number.isInteger(body.qty) || body.qty < 1 || body.qty > 99) {
        return send(res, 400, { error: 'send {"sku": "mug"|"kettle"|"filters", "qty": 1-99}' });
      }
      items = addItem(items, body.sku, body.qty);
      if (cartKey) await store.set(cartKey, items);
      else await saveSession(res, ctx, { ...session, cart: items });
    }
    return send(res, 200, { items });
  }

  // The checkout: address, then shipping, then confirm. Progress lives in the session, so the
  // client can neither skip a step nor change an earlier answer at the end.
  if (route === 'POST /checkout/address') {
    if (typeof body.address !== 'string' || body.address.trim() === '') {
      return send(res, 400, { error: 'send {"address": "…"}' });
    }
    await saveSession(res, ctx, { ...session, checkout: { address: body.address } });
    return send(res, 200, { next: 'shipping' });
  }
  if (route === 'POST /checkout/shipping') {
    if (!session.checkout?.address) return send(res, 409, { error: 'give an address first' });
    if (body.method !== 'standard' && body.method !== 'express') {
      return send(res, 400, { error: 'send {"method": "standard"|"express"}' });
    }
    await saveSession(res, ctx, {
      ...session,
      checkout: { ...session.checkout, shipping: body.method },
    });
    return send(res, 200, { next: 'confirm' });
  }
  if (route === 'POST /checkout/confirm') {
    const { address, shipping } = session.checkout ?? {};
    if (!address || !shipping)
      return send(res, 409, { error: 'finish the address and shipping steps first' });
    await saveSession(res, ctx, { ...session, checkout: undefined }); // one order per checkout
    return send(res, 200, { order: { id: crypto.randomUUID(), address, shipping } });
  }

  send(res, 404, { error: 'not found' });
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
server.listen(port, host, () => console.log(`Shop on http://${host}:${port}`));
