// The visit counter from lesson 1, finished: per-visitor counts in a session cookie.
// Its sessions live in this process's memory, so a restart forgets every visitor.
import http from 'node:http';
import crypto from 'node:crypto';
import { createStore } from './_kit/store-client.mjs';

// The kit's key-value store, already running next to this server. Its address comes in STORE_URL.
const store = createStore(process.env.STORE_URL);

// A session nobody has used for this long should disappear (30 minutes unless set).
const SESSION_TTL_SECONDS = Number(process.env.SESSION_TTL_SECONDS) || 30 * 60;

// TODO 1: move the sessions out of this Map and into `store`, under the key 'session:' + id:
//           await store.get(key)                          -> the saved value, or null
//           await store.set(key, value, { ttlSeconds })   -> saves a JSON-friendly value that
//                                                            expires ttlSeconds after this save
//         Then delete this Map: nothing should stay in memory between requests.
// TODO 2: if the store cannot be reached, store.get/set reject. Answer 503 when you catch that.
const sessions = new Map();

// Returns the value of cookie `name` from the request, or undefined.
function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

// The handler is async so you can `await` the store inside it.
const server = http.createServer(async (req, res) => {
  if (req.method !== 'GET' || req.url !== '/') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
    return;
  }

  let id = readCookie(req, 'sid');
  let session = sessions.get(id); // TODO: read from the store instead
  if (!session) {
    // Unknown or missing id: start fresh under an id WE generate, never the one the client sent.
    id = crypto.randomUUID();
    session = { visits: 0 };
    res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; Secure; SameSite=Lax; Path=/`);
  }
  session.visits += 1;
  sessions.set(id, session); // TODO: save to the store instead

  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ visits: session.visits }));
});

// The sandbox tells the server which port to use.
const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => {
  console.log(`Visit counter listening on http://${host}:${port}`);
});
