import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startStore, createClient, summarize } from '../_kit/check-helpers.mjs';
import { launchServer } from './process.mjs';

let storeUrl;
before(async () => {
  storeUrl = (await startStore()).url;
});

/** Starts a request and resolves `sent` once it has been written to the socket. */
function inFlight(url) {
  let onSent;
  const sent = new Promise((resolve) => (onSent = resolve));
  const answer = new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', (error) => resolve({ status: 0, text: error.message }));
    });
    req.on('finish', onSent);
    req.on('error', (error) => resolve({ status: 0, text: `${error.code || error.message}` }));
  });
  return { sent, answer };
}

test('A request in flight when SIGTERM arrives still completes with 200', async () => {
  const server = await launchServer({ STORE_URL: storeUrl, DRAIN_DELAY_MS: '200' });
  const slow = inFlight(`${server.url}/checkout?ms=800`);
  await slow.sent;
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the server start handling it
  server.signal('SIGTERM');
  const res = await slow.answer;
  assert.equal(
    res.status,
    200,
    `GET /checkout?ms=800 was in flight when the server got SIGTERM; it got ${res.status === 0 ? `no answer (${res.text})` : `status ${res.status}`} instead of 200.`,
  );
  const exit = await Promise.race([
    server.exited,
    new Promise((r) => setTimeout(() => r(null), 5000)),
  ]);
  assert.ok(
    exit,
    'After finishing its requests, the server should exit by itself within 5 s of SIGTERM.',
  );
});

test('GET /ready answers 200, then 503 as soon as draining starts', async () => {
  const server = await launchServer({ STORE_URL: storeUrl, DRAIN_DELAY_MS: '1500' });
  const client = createClient(server.url);
  const ready = await client.get('/ready');
  assert.equal(
    ready.status,
    200,
    `Before SIGTERM, GET /ready should answer 200, got ${summarize(ready)}`,
  );
  const slow = inFlight(`${server.url}/checkout?ms=1000`);
  await slow.sent;
  server.signal('SIGTERM');
  // Signals arrive asynchronously: poll for up to 1 s (DRAIN_DELAY_MS is 1.5 s).
  const deadline = Date.now() + 1000;
  let draining;
  do {
    try {
      draining = await client.get('/ready');
    } catch (error) {
      assert.fail(
        `Right after SIGTERM (DRAIN_DELAY_MS=1500), GET /ready got no answer: ${error.message.split('\n')[0]}. Keep serving for DRAIN_DELAY_MS, with /ready at 503, before closing.`,
      );
    }
  } while (draining.status !== 503 && Date.now() < deadline);
  assert.equal(
    draining.status,
    503,
    `Within 1 s of SIGTERM, GET /ready should answer 503 so the balancer stops sending traffic, got ${summarize(draining)}`,
  );
  await slow.answer;
});
