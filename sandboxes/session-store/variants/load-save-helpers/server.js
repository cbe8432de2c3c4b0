import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { createStore } from './_kit/store-client.mjs';

const store = createStore(process.env.STORE_URL);
const ttlSeconds = Number(process.env.SESSION_TTL_SECONDS ?? 1800);

const keyFor = (sid) => `session:${sid}`;
// Saved the way real Redis code does it: a JSON string with EX seconds.
const loadSession = async (sid) => {
  const text = sid ? await store.get(keyFor(sid)) : null;
  return text === null ? undefined : JSON.parse(text);
};
const saveSession = (sid, session) =>
  store.set(keyFor(sid), JSON.stringify(session), { EX: ttlSeconds });

function cookieValue(header, name) {
  const match = (header || '').match(new RegExp(`(?:^|;\\s*)${name}=([^;]*)`));
  return match ? match[1] : undefined;
}

http
  .createServer(async (req, res) => {
    if (req.url !== '/' || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    let sid = cookieValue(req.headers.cookie, 'sid');
    let session;
    try {
      session = await loadSession(sid);
      if (session === undefined) {
        sid = randomBytes(32).toString('base64url');
        session = { visits: 0 };
      }
      session.visits++;
      await saveSession(sid, session);
    } catch {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('session store unavailable');
      return;
    }
    if (session.visits === 1) {
      res.setHeader('Set-Cookie', `sid=${sid}; Path=/; HttpOnly; Secure; SameSite=Lax`);
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(`{"visits":${session.visits}}`);
  })
  .listen(process.env.PORT, process.env.HOST || '127.0.0.1');
