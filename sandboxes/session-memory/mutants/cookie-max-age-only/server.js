// A shop whose sessions live in this process's memory, kept under control: sessions start only at
// login (lazy), end after SESSION_IDLE_SECONDS without use or SESSION_MAX_SECONDS after login,
// whichever comes first, and a sweeper frees the expired ones. GET /stats shows what is held.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';

const PRODUCTS = [
  { sku: 'tea-sencha', name: 'Sencha green tea, 100 g', price: 850 },
  { sku: 'mug-blue', name: 'Blue stoneware mug', price: 1200 },
  { sku: 'kettle', name: 'Gooseneck kettle', price: 4500 },
];
const IDLE_MS = (Number(process.env.SESSION_IDLE_SECONDS) || 30 * 60) * 1000;
const MAX_MS = (Number(process.env.SESSION_MAX_SECONDS) || 8 * 60 * 60) * 1000;

// Session id -> { user, createdAt, lastSeen, recentlyViewed }
const sessions = new Map();
const page = readFileSync(new URL('./page.html', import.meta.url));

const isExpired = (session, now) =>
  now - session.lastSeen >= IDLE_MS || now - session.createdAt >= MAX_MS;

// Frees expired sessions even if their owners never come back.
// the browser drops the cookie after Max-Age

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// The caller's session if it exists and is still valid; null otherwise. Never creates one.
function currentSession(req) {
  const id = readCookie(req, 'sid');
  const session = id && sessions.get(id);
  if (!session) return null;
  const now = Date.now();
  session.lastSeen = now; // activity renews the idle timer, never the absolute one
  return session;
}

function startSession(res, user) {
  const id = crypto.randomUUID();
  const now = Date.now();
  sessions.set(id, { user, createdAt: now, lastSeen: now, recentlyViewed: [] });
  res.setHeader(
    'Set-Cookie',
    `sid=${id}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${IDLE_MS / 1000}`,
  );
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
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

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }
  if (req.method === 'GET' && path === '/products') {
    // Browsing needs no session; remember what a logged-in shopper looked at.
    const session = currentSession(req);
    session?.recentlyViewed.push(...PRODUCTS.map((p) => p.sku));
    session?.recentlyViewed.splice(0, session.recentlyViewed.length - 10);
    return send(res, 200, PRODUCTS);
  }
  if (req.method === 'POST' && path === '/login') {
    const { user } = (await readJson(req)) ?? {};
    if (typeof user !== 'string' || !/^[a-z]{1,20}$/.test(user)) {
      return send(res, 400, { error: 'user must be 1-20 lowercase letters' });
    }
    startSession(res, user);
    return send(res, 200, { user });
  }
  if (req.method === 'GET' && path === '/me') {
    const session = currentSession(req);
    if (!session) return send(res, 401, { error: 'Not logged in, or the session expired' });
    return send(res, 200, { user: session.user, recentlyViewed: session.recentlyViewed });
  }
  if (req.method === 'GET' && path === '/stats') {
    return send(res, 200, {
      sessions: sessions.size,
      heapUsedBytes: process.memoryUsage().heapUsed,
    });
  }
  send(res, 404, { error: `No route for ${req.method} ${path}` });
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT) || 3000, host, () => {
  console.log(`Shop listening on http://${host}:${server.address().port}`);
});
