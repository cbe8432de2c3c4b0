import http from 'node:http';
import crypto from 'node:crypto';

// sid -> number of visits
const visitsBySid = new Map();

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

http
  .createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (req.method !== 'GET' || pathname !== '/') {
      res.statusCode = 404;
      return res.end('not found');
    }
    let sid = readCookie(req, 'sid');
    if (!visitsBySid.has(sid)) {
      sid = `sess_${crypto.randomBytes(16).toString('hex')}`;
      visitsBySid.set(sid, 0);
      res.setHeader('Set-Cookie', [`sid=${sid}; SameSite=Lax; Path=/; HttpOnly; Secure`]);
    }
    const visits = visitsBySid.get(sid) + 1;
    visitsBySid.set(sid, visits);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ visits }));
  })
  .listen(process.env.PORT, process.env.HOST || '127.0.0.1');
