import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createClient, startServer, summarize } from '../_kit/check-helpers.mjs';

let client;
before(async () => {
  client = createClient(await startServer());
});

test('Your server answers GET / with status 200', async () => {
  const res = await client.get('/');
  assert.equal(res.status, 200, `Expected status 200 from GET /, got ${summarize(res)}`);
});

test('The reply to GET / says Hello, learner!', async () => {
  const res = await client.get('/');
  assert.equal(
    res.text.trim(),
    'Hello, learner!',
    `Expected GET / to answer "Hello, learner!", got ${summarize(res)}`,
  );
});

test('GET /health answers with the JSON {"ok":true}', async () => {
  const res = await client.get('/health');
  assert.equal(res.status, 200, `Expected status 200 from GET /health, got ${summarize(res)}`);
  const type = String(res.headers['content-type'] ?? '');
  assert.ok(
    type.startsWith('application/json'),
    `Expected the content-type application/json, got ${JSON.stringify(type || 'none')}`,
  );
  assert.deepEqual(res.json(), { ok: true }, `Expected {"ok":true}, got ${res.text}`);
});

test('Unknown paths still answer 404', async () => {
  const res = await client.get('/no-such-page');
  assert.equal(
    res.status,
    404,
    `Expected status 404 from GET /no-such-page, got ${summarize(res)}`,
  );
});
