import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createClient, startServer, summarize } from '../_kit/check-helpers.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = createClient(server);
});

test('Your server answers GET / with status 200', async () => {
  const res = await client.get('/');
  assert.equal(res.status, 200, `Expected status 200 from GET /, got ${summarize(res)}`);
});

test('The reply to GET / says Hello, learner!', async () => {
  const res = await createClient(server).get('/');
  assert.equal(
    res.text.trim(),
    'Hello, learner!',
    `Expected GET / to answer "Hello, learner!", got ${summarize(res)}`,
  );
});

test('Every request to GET / gets the same greeting', async () => {
  // Three different visitors, one after another: a reply must not depend on who came before.
  const replies = [];
  for (let visitor = 1; visitor <= 3; visitor += 1) {
    const res = await createClient(server).get('/');
    replies.push(`visitor ${visitor}: ${summarize(res)}`);
    assert.equal(
      res.text.trim(),
      'Hello, learner!',
      `Expected every GET / to answer "Hello, learner!", but the replies were:\n${replies.join('\n')}`,
    );
  }
});

test('GET /health answers with the JSON {"ok":true}', async () => {
  // A visit to a missing page first: health describes the server, not the last request it saw.
  await createClient(server).get('/favicon.ico');
  const res = await client.get('/health');
  assert.equal(res.status, 200, `Expected status 200 from GET /health, got ${summarize(res)}`);
  const type = String(res.headers['content-type'] ?? '');
  assert.ok(
    type.toLowerCase().startsWith('application/json'),
    `Expected the content-type application/json, got ${JSON.stringify(type || 'none')}`,
  );
  assert.deepEqual(
    res.json(),
    { ok: true },
    `Expected {"ok":true} (right after a request for the missing /favicon.ico), got ${res.text}`,
  );
});

test('Unknown paths still answer 404', async () => {
  for (const path of ['/no-such-page', '/healthz', '/health/extra']) {
    const res = await client.get(path);
    assert.equal(res.status, 404, `Expected status 404 from GET ${path}, got ${summarize(res)}`);
  }
});
