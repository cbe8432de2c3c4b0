import { describe, expect, it } from 'vitest';
import { runKitChecks } from './run-kit-checks.ts';

const listen = `
const port = Number(process.env.PORT);
server.listen(port, process.env.HOST || '127.0.0.1');`;

const hungServer = `
const http = require('node:http');
// Accepts connections and never answers.
const server = http.createServer(() => {});
${listen}`;

const echoServer = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/login') {
      res.setHeader('set-cookie', ['sid=abc123; HttpOnly; SameSite=Lax; Path=/', 'theme=dark']);
    }
    if (req.url === '/logout') res.setHeader('set-cookie', 'sid=; Max-Age=0');
    if (req.url === '/nonce') return res.end(String(process.env.SVS_CHECK_NONCE));
    if (req.url === '/crash') process.exit(3);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, cookie: req.headers.cookie || null, body, type: req.headers['content-type'] || null }));
  });
});
${listen}`;

const imports = `
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, startServer, waitFor } from '../_kit/check-helpers.mjs';
`;

describe('check helpers against misbehaving servers', () => {
  it('turns a server that never answers into a timeout with a readable message', async () => {
    const run = await runKitChecks(
      {
        'hung.test.mjs': `${imports}
test('Answers GET /', async () => {
  const client = createClient(await startServer(), { timeoutMs: 1000 });
  await client.get('/');
});`,
      },
      { 'server.js': hungServer },
    );
    expect(run.results).toHaveLength(1);
    expect(run.results[0]?.status).toBe('timeout');
    expect(run.results[0]?.message).toMatch(/^Timed out after 1 s waiting for GET \/ to answer\./);
  });

  it('fails a check whose server never listens, and one whose server crashes at start', async () => {
    const run = await runKitChecks(
      {
        'start.test.mjs': `${imports}
test('Never listens', async () => { await startServer({ entry: 'idle.js', readyTimeoutMs: 5000 }); });
test('Crashes', async () => { await startServer({ entry: 'crash.js' }); });
test('Floods, then quits', async () => { await startServer({ entry: 'flood.js' }); });`,
      },
      {
        'idle.js': `console.log('thinking…'); setInterval(() => {}, 1000);`,
        'crash.js': `throw new Error('kaboom in server.js');`,
        // Its last words arrive after a lot of output, just before exit: they must not be lost.
        'flood.js': `process.stdout.write('noise\\n'.repeat(5000)); console.error('the last words'); process.exit(2);`,
      },
    );
    const flood = run.byTitle.get('Floods, then quits');
    expect(flood?.message).toMatch(/exited with code 2 before it started listening/);
    expect(flood?.message).toContain('the last words');
    const never = run.byTitle.get('Never listens');
    expect(never?.status).toBe('timeout');
    expect(never?.message).toMatch(/did not start listening on PORT within 5 s/);
    expect(never?.message).toContain('thinking…');
    const crash = run.byTitle.get('Crashes');
    expect(crash?.status).toBe('fail');
    expect(crash?.message).toMatch(/exited with code 1 before it started listening/);
    expect(crash?.message).toContain('kaboom in server.js');
  });

  it('reports a server that dies mid-check as a failed check naming the request', async () => {
    const run = await runKitChecks(
      {
        'crash.test.mjs': `${imports}
test('Survives', async () => {
  const server = await startServer();
  const client = createClient(server);
  await client.get('/crash').catch(() => {});
  await waitFor(() => !server.running, { timeout: 5000, message: 'The server did not exit' });
  await client.get('/');
});`,
      },
      { 'server.js': echoServer },
    );
    expect(run.results[0]?.status).toBe('fail');
    expect(run.results[0]?.message).toMatch(/^GET \/ failed: nothing is listening/);
  });
});

describe('check helpers with a working server', () => {
  it('keeps cookies, sends JSON bodies, restarts on the same port and hides the nonce', async () => {
    const run = await runKitChecks(
      {
        'ok.test.mjs': `${imports}
test('Cookie jar', async () => {
  const client = createClient(await startServer());
  const login = await client.post('/login', { user: 'ada' });
  assert.deepEqual(login.json(), { method: 'POST', cookie: null, body: '{"user":"ada"}', type: 'application/json' });
  assert.equal(login.setCookies[0].attributes.httponly, true);
  assert.equal(login.setCookies[0].attributes.samesite, 'Lax');
  assert.equal((await client.get('/')).json().cookie, 'sid=abc123; theme=dark');
  await client.get('/logout');
  assert.equal((await client.get('/')).json().cookie, 'theme=dark');
});
test('Restart keeps the port', async () => {
  const server = await startServer();
  const before = server.url;
  await server.restart();
  assert.equal(server.url, before);
  assert.equal((await createClient(server).get('/')).status, 200);
});
test('No nonce for the learner', async () => {
  const res = await createClient(await startServer()).get('/nonce');
  assert.equal(res.text, 'undefined');
});
test('Not JSON', async () => {
  const res = await createClient(await startServer()).get('/nonce');
  res.json();
});`,
      },
      { 'server.js': echoServer },
    );
    expect(run.byTitle.get('Cookie jar')).toMatchObject({ status: 'pass' });
    expect(run.byTitle.get('Restart keeps the port')).toMatchObject({ status: 'pass' });
    expect(run.byTitle.get('No nonce for the learner')).toMatchObject({ status: 'pass' });
    expect(run.byTitle.get('Not JSON')).toMatchObject({
      status: 'fail',
      message: 'Expected JSON from GET /nonce, got status 200 with body "undefined"',
    });
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value and fails after its deadline with the message', async () => {
    const run = await runKitChecks({
      'wait.test.mjs': `${imports}
test('Counts to three', async () => {
  let n = 0;
  assert.equal(await waitFor(() => (++n >= 3 ? n : 0), { interval: 1 }), 3);
});
test('Never true', async () => {
  await waitFor(() => false, { timeout: 200, message: 'The light never turned green' });
});
test('Keeps the last error', async () => {
  await waitFor(() => { throw new Error('still broken'); }, { timeout: 200 });
});`,
    });
    expect(run.byTitle.get('Counts to three')).toMatchObject({ status: 'pass' });
    expect(run.byTitle.get('Never true')).toMatchObject({
      status: 'timeout',
      message: 'The light never turned green within 0.2 s.',
    });
    expect(run.byTitle.get('Keeps the last error')?.message).toBe(
      'The condition did not hold within 0.2 s. Last attempt: still broken',
    );
  });
});

/** Counts visits in the store; answers 503 while the store is unavailable. */
const storeServer = `
const http = require('node:http');
const storeReady = import('./_kit/store-client.mjs').then((m) => m.createStore(process.env.STORE_URL));
http.createServer(async (req, res) => {
  const store = await storeReady;
  try {
    res.end(String(await store.incr('visits')));
  } catch (error) {
    res.writeHead(error.code === 'STORE_UNAVAILABLE' ? 503 : 500).end(error.message);
  }
}).listen(Number(process.env.PORT), '127.0.0.1');`;

describe('store control from a check', () => {
  it('stops and starts the store, keeping or losing data, and reads its counters', async () => {
    const run = await runKitChecks(
      {
        'store.test.mjs': `${imports}
import { startStore } from '../_kit/check-helpers.mjs';
test('Store control', async () => {
  const store = await startStore();
  const client = createClient(await startServer({ env: { STORE_URL: store.url } }));
  assert.equal((await client.get('/')).text, '1');
  await store.stop();
  assert.equal(store.state, 'down');
  assert.equal((await client.get('/')).status, 503);
  await store.start();
  await waitFor(async () => (await client.get('/')).text === '2', { timeout: 3000 });
  await store.stop({ keepData: false });
  await store.start();
  await waitFor(async () => (await client.get('/')).text === '1', { timeout: 3000 });
  const counters = await store.counters();
  assert.equal(counters.commands.INCR, 3);
  assert.equal(counters.keys, 1);
  await store.delay(30);
  await store.fault('refuse');
  assert.equal((await client.get('/')).status, 503);
  await store.fault('off');
});`,
      },
      { 'server.js': storeServer },
      ['check-helpers', 'store', 'store-client'],
    );
    expect(run.results).toEqual([expect.objectContaining({ status: 'pass' })]);
  });
});
