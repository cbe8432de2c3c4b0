import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://placeholder');
  switch (req.method === 'GET' ? pathname : '') {
    case '/':
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return res.end('Hello, learner!');
    case '/health':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end('{"ok":true}');
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('nothing here');
  }
});

server.listen(Number(process.env.PORT) || 3000, process.env.HOST || '127.0.0.1');
