// POST /login {"user": "alice", "name"?: "...", "theme"?: "..."} -> {"token": "..."}
//   (a lab login: it takes no password and trusts the name it is given)
// GET  /me with "Authorization: Bearer <token>"                  -> 200 the token's claims, or 401
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { sign, verify } from './jwt.js';

// Every instance that shares this secret can check every token. Real deployments set JWT_SECRET;
// the fallback is a random string made once for this lab, so that Run works out of the box.
const SECRET = process.env.JWT_SECRET || 'lab-7Zq2vX9pL4mN8rT1wY6zB3cF5hD0gSkE';
// HS256 needs a key of at least 256 bits (RFC 7518, section 3.2): a short one can be guessed.
if (Buffer.byteLength(SECRET) < 32) {
  console.error(`JWT_SECRET is ${Buffer.byteLength(SECRET)} bytes; HS256 needs at least 32.`);
  process.exit(1);
}
const TOKEN_LIFETIME_SECONDS = 15 * 60;
const page = readFileSync(new URL('./page.html', import.meta.url));

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text) || {};
  } catch {
    return {};
  }
}

async function login(req, res) {
  const { user, name, theme } = await readJson(req);
  if (typeof user !== 'string' || user === '') {
    return sendJson(res, 400, { error: 'send a JSON body like {"user": "alice"}' });
  }
  const now = Math.floor(Date.now() / 1000);
  // The whole "session" lives in the token: small, non-secret facts only.
  const claims = { sub: user, name, theme, iat: now, exp: now + TOKEN_LIFETIME_SECONDS };
  sendJson(res, 200, { token: sign(claims, SECRET) });
}

function me(req, res) {
  const [scheme, token] = (req.headers.authorization || '').split(' ');
  if (scheme !== 'Bearer' || !token) {
    const challenge = { 'WWW-Authenticate': 'Bearer' };
    return sendJson(res, 401, { error: 'send Authorization: Bearer <token>' }, challenge);
  }
  try {
    sendJson(res, 200, verify(token, SECRET));
  } catch (err) {
    sendJson(res, 401, { error: err.message });
  }
}

createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/login') return login(req, res);
  if (req.method === 'GET' && req.url === '/me') return me(req, res);
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(page);
  }
  sendJson(res, 404, { error: `no route for ${req.method} ${req.url}` });
}).listen(process.env.PORT || 3000, process.env.HOST || '127.0.0.1', () => {
  console.log(`Listening on http://${process.env.HOST || '127.0.0.1'}:${process.env.PORT || 3000}`);
});
