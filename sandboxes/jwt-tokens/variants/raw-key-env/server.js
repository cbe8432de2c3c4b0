// POST /login {"user": "alice"} -> {"token": "..."}   (a lab login: no password)
// GET  /me with "authorization: bearer <token>"     -> 200 the token's claims, or 401
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { sign, verify } from './jwt.js';

function loadKey() {
  const text = process.env.JWT_SECRET || 'lab-default-QmF4c2VjcmV0LWZvci10aGUtbGFi';
  const key = Buffer.from(text, 'utf8');
  if (key.length < 32) {
    console.error('Refusing to start: JWT_SECRET must be at least 32 bytes (256 bits).');
    process.exit(1);
  }
  return key;
}

const KEY = loadKey();
const page = readFileSync(new URL('./page.html', import.meta.url));

const json = (res, status, body) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
};

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString()) ?? {};
  } catch {
    return {};
  }
}

http
  .createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.setHeader('content-type', 'text/html');
      return res.end(page);
    }
    if (req.method === 'POST' && req.url === '/login') {
      const { user, name, theme } = await body(req);
      if (!user || typeof user !== 'string') return json(res, 400, { error: 'user required' });
      const iat = Math.floor(Date.now() / 1000);
      return json(res, 200, { token: sign({ sub: user, name, theme, iat, exp: iat + 900 }, KEY) });
    }
    if (req.method === 'GET' && req.url === '/me') {
      const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!match) return json(res, 401, { error: 'missing bearer token' });
      try {
        return json(res, 200, verify(match[1], KEY));
      } catch (error) {
        return json(res, 401, { error: String(error.message) });
      }
    }
    json(res, 404, { error: 'not found' });
  })
  .listen(Number(process.env.PORT) || 3000, process.env.HOST || '127.0.0.1');
