// One endpoint, GET /<mode>/me, answered three ways so you can compare what each costs:
//   /memory/...  the session lives in this process's Map
//   /store/...   the session lives in the kit's store: one store read per request
//   /jwt/...     the session travels in a signed token: no lookup at all, a signature check instead
// Your job: make each mode pay only its own cost, and say so in a Server-Timing header.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createStore } from './_kit/store-client.mjs';

const USERS = {
  ana: { name: 'Ana Lima', plan: 'pro' },
  ben: { name: 'Ben Okafor', plan: 'free' },
};
const SESSION_SECONDS = 30 * 60;
// 256 bits, shared by every instance in production; random per process is enough for this lab.
const SECRET = process.env.JWT_SECRET ?? crypto.randomBytes(32).toString('base64url');
const MODES = ['memory', 'store', 'jwt'];

const store = createStore(process.env.STORE_URL);
const sessions = new Map();
// A copy of each store session, so repeat requests can skip the store.
const storeCopies = new Map();
const page = readFileSync(new URL('./page.html', import.meta.url));

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// ---- a minimal HS256 JWT (see the tokens lesson) ------------------------------------------------
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (data) => crypto.createHmac('sha256', SECRET).update(data).digest('base64url');

function issueToken(claims) {
  const data = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${data}.${sign(data)}`;
}

function verifyToken(token) {
  const parts = String(token ?? '').split('.');
  if (parts.length !== 3) return null;
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2]);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  return typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 ? claims : null;
}

// ---- the three ways to find "who is asking" -----------------------------------------------------
async function login(mode, user, res) {
  const profile = { user, ...USERS[user] };
  if (mode === 'jwt') {
    const exp = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
    const token = issueToken({ sub: user, exp });
    await store.set(`profile:${user}`, profile, { ttlSeconds: SESSION_SECONDS });
    res.setHeader('Set-Cookie', `jwt=${token}; HttpOnly; SameSite=Lax; Path=/jwt`);
    return;
  }
  const id = crypto.randomUUID();
  if (mode === 'memory') sessions.set(id, profile);
  else await store.set(`session:${id}`, profile, { ttlSeconds: SESSION_SECONDS });
  res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; SameSite=Lax; Path=/${mode}`);
}

async function whoIsAsking(mode, req) {
  if (mode === 'jwt') {
    const claims = verifyToken(readCookie(req, 'jwt'));
    return claims && ((await store.get(`profile:${claims.sub}`)) ?? null);
  }
  const id = readCookie(req, 'sid');
  if (!id) return null;
  if (mode === 'memory') return sessions.get(id) ?? null;
  if (storeCopies.has(id)) return storeCopies.get(id);
  const session = (await store.get(`session:${id}`)) ?? null;
  storeCopies.set(id, session);
  return session;
}

function send(res, status, body, timing) {
  const headers = { 'Content-Type': 'application/json' };
  if (timing !== undefined) headers['Server-Timing'] = timing;
  res.writeHead(status, headers);
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
  const [, mode, action] = path.split('/');
  if (!MODES.includes(mode)) return send(res, 404, { error: `No route for ${path}` });

  if (req.method === 'POST' && action === 'login') {
    const { user } = (await readJson(req)) ?? {};
    if (!Object.hasOwn(USERS, user)) return send(res, 400, { error: 'Unknown user' });
    await login(mode, user, res);
    return send(res, 200, { ok: true });
  }
  if (req.method === 'GET' && action === 'me') {
    const me = await whoIsAsking(mode, req);
    if (!me) return send(res, 401, { error: 'Log in first' });
    return send(res, 200, me);
  }
  send(res, 404, { error: `No route for ${req.method} ${path}` });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error.message);
    if (!res.headersSent) send(res, 503, { error: 'The session store is unavailable' });
  });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host, () => {
  console.log(`/me in three modes on http://${host}:${server.address().port}`);
});
