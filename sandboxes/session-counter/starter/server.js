// A visit counter. GET / answers {"visits": n}.
// It should count visits PER VISITOR, but right now everybody shares one number.
import http from 'node:http';
import crypto from 'node:crypto';

// BUG: one variable for the whole process, shared by every visitor.
// TODO: replace it with a Map from session id to { visits }.
let visits = 0;

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

  // TODO: read the "sid" cookie with readCookie(req, 'sid') and look it up.
  //       If there is no session for it, create one under a NEW id from crypto.randomUUID()
  //       and send it back with res.setHeader('Set-Cookie', `sid=${id}; HttpOnly; Secure; SameSite=Lax; Path=/`).
  visits += 1;

  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ visits }));
});

// The sandbox tells the server which port to use.
const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || '127.0.0.1';
server.listen(port, host, () => {
  console.log(`Visit counter listening on http://${host}:${port}`);
});
