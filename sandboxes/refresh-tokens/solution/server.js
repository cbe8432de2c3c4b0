// Stateless access tokens, made safe to use: they live ACCESS_TTL seconds, a rotating refresh
// token renews them, a reused refresh token revokes its whole family, and logout puts the access
// token's id on a denylist in the shared store until the token would have expired anyway.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sign, verify } from './jwt.js';
import { createStore } from './_kit/store-client.mjs';

const store = createStore(process.env.STORE_URL);
const SECRET = process.env.JWT_SECRET || 'dev-only-secret-change-me-0123456789abcdef';
const ACCESS_TTL = Number(process.env.ACCESS_TTL) || 300; // seconds
const REFRESH_TTL = Number(process.env.REFRESH_TTL) || 86400; // seconds
const USERS = { alice: 'wonderland', bob: 'builder' }; // a demo: never keep passwords like this
const page = readFileSync(new URL('./page.html', import.meta.url));

const nowSeconds = () => Math.floor(Date.now() / 1000);
const randomToken = () => crypto.randomBytes(32).toString('base64url');

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
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

/** A fresh access token and a fresh refresh token in `family`. */
async function issuePair(user, family) {
  const iat = nowSeconds();
  const access = sign({ sub: user, jti: crypto.randomUUID(), iat, exp: iat + ACCESS_TTL }, SECRET);
  const refresh = randomToken();
  await store.set(`refresh:${refresh}`, { user, family, used: false }, { ttlSeconds: REFRESH_TTL });
  return { access, refresh };
}

/** The verified claims of the request's bearer token, or null (bad, expired or revoked). */
async function authenticate(req) {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  if (scheme !== 'Bearer' || !token) return null;
  let claims;
  try {
    claims = verify(token, SECRET);
  } catch {
    return null;
  }
  if (await store.get(`deny:${claims.jti}`)) return null; // logged out before it expired
  return claims;
}

async function handle(req, res) {
  const route = `${req.method} ${req.url}`;
  if (route === 'GET /') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  if (route === 'GET /me') {
    const claims = await authenticate(req);
    if (!claims) return send(res, 401, { error: 'missing, expired or revoked token' });
    return send(res, 200, { user: claims.sub });
  }
  const body = await readJson(req);
  if (body === null) return send(res, 400, { error: 'the body must be JSON' });

  if (route === 'POST /login') {
    if (USERS[body.user] === undefined || USERS[body.user] !== body.password) {
      return send(res, 401, { error: 'wrong user or password' });
    }
    return send(res, 200, await issuePair(body.user, crypto.randomUUID()));
  }

  if (route === 'POST /refresh') {
    const key = `refresh:${body.refresh}`;
    const record = typeof body.refresh === 'string' ? await store.get(key) : undefined;
    if (!record) return send(res, 401, { error: 'unknown or expired refresh token' });
    if (await store.get(`family-revoked:${record.family}`)) {
      return send(res, 401, { error: 'this login was revoked' });
    }
    if (record.used) {
      // Someone already used this token: either the user or a thief has a copy. We cannot tell
      // which, so the whole family (every token descended from this login) stops working.
      await store.set(`family-revoked:${record.family}`, true, { ttlSeconds: REFRESH_TTL });
      return send(res, 401, { error: 'refresh token reused: this login is revoked' });
    }
    await store.set(key, { ...record, used: true }, { ttlSeconds: REFRESH_TTL });
    return send(res, 200, await issuePair(record.user, record.family));
  }

  if (route === 'POST /logout') {
    const claims = await authenticate(req);
    if (!claims) return send(res, 401, { error: 'missing, expired or revoked token' });
    // Deny this token only for as long as it could still be used; after exp it is dead anyway.
    const remaining = claims.exp - Date.now() / 1000;
    if (remaining > 0) {
      await store.set(`deny:${claims.jti}`, true, { ttlSeconds: Math.ceil(remaining) });
    }
    const record =
      typeof body.refresh === 'string' ? await store.get(`refresh:${body.refresh}`) : undefined;
    if (record)
      await store.set(`family-revoked:${record.family}`, true, { ttlSeconds: REFRESH_TTL });
    return send(res, 200, { ok: true });
  }

  send(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error.message);
    if (!res.headersSent) send(res, 503, { error: 'the store is unavailable' });
    else res.destroy();
  });
});

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => console.log(`Token server on http://${host}:${port}`));
