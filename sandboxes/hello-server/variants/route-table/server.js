// Routes as data: "METHOD path" -> handler.
import http from 'node:http';

const routes = {
  'GET /': (res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('Hello, learner!');
  },
  'GET /health': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  },
};

const server = http.createServer((req, res) => {
  const route = routes[`${req.method} ${req.url}`];
  if (route) return route(res);
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: `No page at ${req.url}` }));
});

const port = Number(process.env.PORT) || 3000;
server.listen(port, process.env.HOST || '127.0.0.1');
