// Backends for the proxy checks, run inside the check process. Each answers with `x-backend`,
// and its /health can be made to fail, or the whole backend stopped and started on its port.
import http from 'node:http';

export async function startBackends(count) {
  const backends = [];
  for (let n = 1; n <= count; n += 1) {
    const backend = { n, name: `b${n}`, sick: false, port: 0, hits: 0, server: null };
    backend.handler = (req, res) => {
      if (req.url === '/health') {
        res.writeHead(backend.sick ? 503 : 200).end(backend.sick ? 'sick' : 'ok');
        return;
      }
      backend.hits += 1;
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': backend.name });
      res.end(JSON.stringify({ backend: backend.name, path: req.url }));
    };
    backend.start = () =>
      new Promise((resolve) => {
        backend.server = http.createServer(backend.handler);
        backend.server.listen(backend.port, '127.0.0.1', () => {
          backend.port = backend.server.address().port;
          backend.url = `http://127.0.0.1:${backend.port}`;
          resolve();
        });
      });
    backend.stop = () =>
      new Promise((resolve) => {
        backend.server.close(() => resolve());
        backend.server.closeAllConnections();
      });
    await backend.start();
    backends.push(backend);
  }
  return backends;
}

export const upstreamsOf = (backends) => backends.map((b) => b.url).join(',');
