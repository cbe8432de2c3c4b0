import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const sessions = new Map();

function sidFrom(header = '') {
  const pair = header
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('sid='));
  return pair?.slice(4);
}

createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/') {
    res.writeHead(404).end();
    return;
  }
  let sid = sidFrom(req.headers.cookie);
  if (!sessions.has(sid)) {
    sid = randomBytes(32).toString('base64url');
    sessions.set(sid, { visits: 0 });
    res.setHeader('set-cookie', `sid=${sid}; Path=/; secure; httponly; SameSite=Strict`);
  }
  const session = sessions.get(sid);
  session.visits++;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ visits: session.visits }));
}).listen(process.env.PORT, process.env.HOST || '127.0.0.1');
