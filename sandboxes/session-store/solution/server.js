// The visit counter, with its sessions kept in the kit's key-value store instead of process memory.
// This process now remembers nothing between requests, so restarting it loses no visitor.
import http from 'node:http';
import crypto from 'node:crypto';
import { createStore } from './_kit/store-client.mjs';

// The kit's key-value store, already running next to this server. Its address comes in STORE_URL.
const store = createStore(process.env.STORE_URL);

// A session nobody has used for this long is dropped by the store (30 minutes unless set).
const SESSION_TTL_SECONDS = Number(process.env.SESSION_TTL_SECONDS) || 30 * 60;

// Returns the value of cookie `name` from the request, or undefined.
function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// The handler is async so you can `await` the store inside it.
const server = http.createServer(async (req, res) => {
  if (req.method !== 'GET' || req.url !== '/') {
    return sendJson(res, 404, { error: 'not found' });
  }

  try {
    let id = readCookie(req, 'sid');
    let session = id ? await store.get('session:' + id) : undefined;
    if (!session) {
      // Unknown or missing id: start fresh under an id WE generate, never the one the client sent.
      id = crypto.randomUUID();
      session = { visits: 0 };
      res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; Secure; SameSite=Lax; Path=/`);
    }
    session.visits += 1;
    // Every save sets the time-to-live again, so it measures time since the LAST visit.
    await store.set('session:' + id, session, { ttlSeconds: SESSION_TTL_SECONDS });
    sendJson(res, 200, { visits: session.visits });
  } catch (error) {
    // No store, no sessions: say so, rather than count in memory and lose it all later.
    console.error(error.message);
    res.removeHeader('Set-Cookie');
    sendJson(res, 503, { error: 'sessions are unavailable, try again shortly' });
  }
});

// The sandbox tells the server which port to use.
const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => {
  console.log(`Visit counter listening on http://${host}:${port}`);
});
