import http from 'node:http';
import crypto from 'node:crypto';
import { createStore } from './_kit/store-client.mjs';

const store = createStore(process.env.STORE_URL);
const TTL = Number(process.env.SESSION_TTL_SECONDS) || 1800;

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

http
  .createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    const sent = readCookie(req, 'sid');
    (sent ? store.get(`session:${sent}`) : Promise.resolve(undefined))
      .then((found) => {
        const id = found ? sent : crypto.randomUUID();
        const session = { visits: (found?.visits ?? 0) + 1 };
        return store.set(`session:${id}`, session, { ttlSeconds: TTL }).then(() => {
          const headers = { 'content-type': 'application/json' };
          if (!found)
            headers['set-cookie'] = `sid=${id}; HttpOnly; Secure; SameSite=Strict; Path=/`;
          res.writeHead(200, headers);
          res.end(JSON.stringify(session));
        });
      })
      .catch(() => {
        res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '5' });
        res.end('<h1>Sessions are down for a moment</h1>');
      });
  })
  .listen(process.env.PORT, process.env.HOST || '127.0.0.1');
