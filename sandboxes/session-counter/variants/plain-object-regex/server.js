import http from 'node:http';
import crypto from 'node:crypto';

const sessions = Object.create(null);

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/') {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    return res.end('{"error":"not found"}');
  }
  const match = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie || '');
  const headers = { 'Content-Type': 'application/json' };
  let id = match && match[1];
  if (!id || !(id in sessions)) {
    id = crypto.randomUUID();
    sessions[id] = { visits: 0 };
    headers['Set-Cookie'] = `sid=${id}; HttpOnly; Secure; SameSite=Lax; Path=/`;
  }
  sessions[id].visits += 1;
  res.writeHead(200, headers);
  res.end(JSON.stringify({ visits: sessions[id].visits }));
});

server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1');
