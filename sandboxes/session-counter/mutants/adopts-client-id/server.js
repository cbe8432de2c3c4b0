// A visit counter. GET / answers {"visits": n}, counted per visitor.
import http from 'node:http';
import crypto from 'node:crypto';

// Session id -> { visits }. Lives in this process's memory only.
const sessions = new Map();

// Returns the value of cookie `name` from the request, or undefined.
function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
    return;
  }

  const sent = readCookie(req, 'sid');
  let session = sessions.get(sent);
  if (!session) {
    // Keep the id the browser already has, so its cookie stays valid.
    const id = sent || crypto.randomUUID();
    session = { visits: 0 };
    sessions.set(id, session);
    res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; Secure; SameSite=Lax; Path=/`);
  }
  session.visits += 1;

  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ visits: session.visits }));
});

// The sandbox tells the server which port to use.
const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => {
  console.log(`Visit counter listening on http://${host}:${port}`);
});
