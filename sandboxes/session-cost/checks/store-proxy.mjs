// A counting, optionally slow, pass-through in front of the kit's store, so a check can see how many
// store calls a request made and what store latency does to each mode. (Not a test file.)
import http from 'node:http';
import { after } from 'node:test';

// Registered at import time: an `after` added inside a `before` hook would run as soon as it ends.
const open = new Set();
after(() =>
  Promise.all([...open].map((server) => new Promise((resolve) => server.close(resolve)))),
);

export async function startStoreProxy(storeUrl) {
  const target = new URL(storeUrl);
  const state = { calls: 0, delayMs: 0 };
  const server = http.createServer((req, res) => {
    state.calls += 1;
    const forward = () => {
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (state.delayMs > 0) setTimeout(forward, state.delayMs);
    else forward();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.add(server);
  server.unref();
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get calls() {
      return state.calls;
    },
    setDelay(ms) {
      state.delayMs = ms;
    },
  };
}
