// Sessions with the chores done: a new id at login, logout that ends the session on the server,
// and a refusal for state-changing requests that another site made the browser send.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';

const page = readFileSync(new URL('./page.html', import.meta.url));
const USERS = { alice: 'wonderland', bob: 'builder' }; // a demo: never keep passwords like this

const sessions = new Map(); // session id -> { user?, theme }

const newId = () => crypto.randomBytes(32).toString('base64url');

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

const sessionCookie = (id) => `sid=${id}; HttpOnly; SameSite=Lax; Path=/`;

// Browsers label every request with Sec-Fetch-Site; older ones at least send Origin on a POST.
// A client that sends neither is not a browser acting for another site, so it may pass.
function isCrossSite(req) {
  const origin = req.headers.origin;
  return origin !== `http://${req.headers.host}`;
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

const server = http.createServer(async (req, res) => {
  const id = readCookie(req, 'sid');
  const session = id ? sessions.get(id) : undefined;

  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  if (req.method === 'GET' && req.url === '/me') {
    if (!session?.user) return send(res, 401, { error: 'not logged in' });
    return send(res, 200, { user: session.user, theme: session.theme });
  }
  if (req.method !== 'POST') return send(res, 404, { error: 'not found' });

  // Every POST changes state, so every POST gets the cross-site test first.
  if (isCrossSite(req)) return send(res, 403, { error: 'cross-site request refused' });
  const body = await readJson(req);
  if (body === null) return send(res, 400, { error: 'the body must be JSON' });

  if (req.url === '/settings') {
    if (typeof body.theme !== 'string' || body.theme.length > 20) {
      return send(res, 400, { error: 'theme must be a short string' });
    }
    if (session) {
      session.theme = body.theme;
      return send(res, 200, { theme: session.theme });
    }
    const fresh = newId();
    sessions.set(fresh, { theme: body.theme });
    return send(res, 200, { theme: body.theme }, { 'set-cookie': sessionCookie(fresh) });
  }

  if (req.url === '/login') {
    if (USERS[body.user] === undefined || USERS[body.user] !== body.password) {
      return send(res, 401, { error: 'wrong user or password' });
    }
    // New privileges, new id: an id someone planted or saw before login is worth nothing now.
    if (id) sessions.delete(id);
    const fresh = newId();
    sessions.set(fresh, { theme: session?.theme ?? 'light', user: body.user });
    return send(res, 200, { user: body.user }, { 'set-cookie': sessionCookie(fresh) });
  }

  if (req.url === '/logout') {
    if (id) sessions.delete(id); // the server forgets it, so a copied id is worthless too
    return send(
      res,
      200,
      { ok: true },
      { 'set-cookie': 'sid=; Max-Age=0; HttpOnly; SameSite=Lax; Path=/' },
    );
  }

  send(res, 404, { error: 'not found' });
});

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => console.log(`Session server on http://${host}:${port}`));
