// A small shop on three instances, with sessions in the shared store. It works, but it does not yet
// use what a server that keeps state can offer:
// TODO step 1: "log out everywhere" only ends the session it was sent from.
// TODO step 2: the checkout trusts the client to say which steps it has done.
// TODO step 3: a logged-in cart stays in one browser's session instead of following the account.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createStore } from './_kit/store-client.mjs';

const store = createStore(process.env.STORE_URL);
const page = readFileSync(new URL('./page.html', import.meta.url));
const USERS = { alice: 'wonderland', bob: 'builder' }; // a demo: never keep passwords like this
const PRODUCTS = new Set(['mug', 'kettle', 'filters']);

const sessionKey = (sid) => `session:${sid}`;
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
    // TODO step 1: remember this session among the user's sessions (userSessionsKey(user)).
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
    await store.delete(sessionKey(sid)); // TODO step 1: end every session of this user
    return send(res, 200, { ended: 1 });
  }

  if (route === 'GET /cart' || route === 'POST /cart/items') {
    // TODO step 3: a logged-in cart belongs to the account (accountCartKey(user)).
    const cartKey = null;
    let items = session.cart ?? [];
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

  // The checkout: address, then shipping, then confirm.
  // TODO step 2: the client carries its progress and sends it back with every step, so it can
  //   skip steps or change answers. Keep the progress in the session instead (saveSession).
  if (route === 'POST /checkout/address') {
    if (typeof body.address !== 'string' || body.address.trim() === '') {
      return send(res, 400, { error: 'send {"address": "…"}' });
    }
    return send(res, 200, { next: 'shipping', address: body.address });
  }
  if (route === 'POST /checkout/shipping') {
    if (body.method !== 'standard' && body.method !== 'express') {
      return send(res, 400, { error: 'send {"method": "standard"|"express"}' });
    }
    return send(res, 200, { next: 'confirm', address: body.address, shipping: body.method });
  }
  if (route === 'POST /checkout/confirm') {
    const { address, shipping } = body; // whatever the client says it chose
    if (!address || !shipping)
      return send(res, 409, { error: 'finish the address and shipping steps first' });
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
