import http from 'node:http';

http
  .createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ ok: true }) + '\n');
    } else if (req.method === 'GET' && req.url === '/') {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Hello, learner!\n');
    } else {
      res.statusCode = 404;
      res.end();
    }
  })
  .listen(process.env.PORT, process.env.HOST || '127.0.0.1', () => console.log('up'));
