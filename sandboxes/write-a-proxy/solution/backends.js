// Starts four small backends and your proxy in front of them. You do not need to change this file.
//
// Each backend remembers, in its own memory, how many times each visitor (by `vid` cookie) came
// by. That is the kind of state that makes a balancer's choice matter.
// Type in the terminal:  sick N | well N | stop N | start N | restart   (N = 1..4)
import http from 'node:http';
import { spawn } from 'node:child_process';
import readline from 'node:readline';

const COUNT = 4;
const backends = [];

function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function makeBackend(n) {
  const visits = new Map(); // vid -> visits seen by THIS backend
  const backend = { n, sick: false, port: 0, server: null };
  backend.handler = (req, res) => {
    if (req.url === '/health') {
      res.writeHead(backend.sick ? 503 : 200, { 'content-type': 'text/plain' });
      res.end(backend.sick ? 'sick\n' : 'ok\n');
      return;
    }
    const vid = readCookie(req, 'vid') ?? '(none yet)';
    const count = (visits.get(vid) ?? 0) + 1;
    visits.set(vid, count);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-backend': `b${n}` });
    res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Backend ${n}</title>
<body style="font-family:system-ui;margin:2rem">
<h1>Backend ${n}</h1>
<p>Visitor <code>${vid}</code>: visit number <strong>${count}</strong> on this backend.</p>
<p>Reload a few times. A sticky proxy keeps you here; round-robin moves you on every reload.</p>
</body></html>`);
  };
  return backend;
}

function listen(backend) {
  return new Promise((resolve) => {
    backend.server = http.createServer(backend.handler);
    backend.server.listen(backend.port, '127.0.0.1', () => {
      backend.port = backend.server.address().port; // keep the same port across stop/start
      resolve();
    });
  });
}

for (let n = 1; n <= COUNT; n += 1) backends.push(makeBackend(n));
await Promise.all(backends.map(listen));
const upstreams = backends.map((b) => `http://127.0.0.1:${b.port}`).join(',');
console.log(`[backends] 1-4 on ${upstreams}`);

let proxy = null;
function startProxy() {
  const current = spawn(process.execPath, ['proxy.js'], {
    env: { ...process.env, UPSTREAMS: upstreams },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  proxy = current;
  current.on('exit', (code, signal) => {
    // A restart replaces `proxy` first, so only unexpected stops are announced.
    if (proxy !== current) return;
    console.log(`[backends] proxy.js stopped (${signal ?? `code ${code}`}); type "restart"`);
  });
}
startProxy();

const byNumber = (text) => backends[Number(text) - 1];
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, arg] = line.trim().split(/\s+/);
  const backend = byNumber(arg);
  if (command === 'restart') {
    const old = proxy;
    proxy = null;
    if (old.exitCode !== null || old.signalCode !== null) startProxy();
    else {
      old.once('exit', startProxy);
      old.kill();
    }
  } else if (backend && command === 'sick') {
    backend.sick = true;
    console.log(`[backends] backend ${backend.n}: /health now answers 503`);
  } else if (backend && command === 'well') {
    backend.sick = false;
    console.log(`[backends] backend ${backend.n}: /health answers 200 again`);
  } else if (backend && command === 'stop') {
    backend.server.close();
    backend.server.closeAllConnections();
    console.log(`[backends] backend ${backend.n} stopped: connections are refused`);
  } else if (backend && command === 'start') {
    listen(backend).then(() => console.log(`[backends] backend ${backend.n} is back`));
  } else if (line.trim()) {
    console.log('[backends] commands: sick N, well N, stop N, start N, restart (N = 1-4)');
  }
});

const stopAll = () => {
  proxy?.kill('SIGKILL');
  process.exit(0);
};
process.on('SIGTERM', stopAll);
process.on('SIGINT', stopAll);
process.stdin.on('end', stopAll);
process.on('exit', () => proxy?.kill('SIGKILL'));
