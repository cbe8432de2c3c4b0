import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startStore, createClient, sleep, summarize } from '../_kit/check-helpers.mjs';
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

test('GET /ready answers 200, then 503 while draining, and keeps answering', async () => {
  const server = await launchServer({ STORE_URL: storeUrl, DRAIN_DELAY_MS: '3000' });
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
  const notAnswering = (error) =>
    assert.fail(
      `After SIGTERM (DRAIN_DELAY_MS=3000), GET /ready got no answer: ${error.message.split('\n')[0]}. A balancer polls /ready on new connections: keep listening for DRAIN_DELAY_MS, with /ready at 503, before closing.`,
    );
  // Signals arrive asynchronously: poll for up to 1 s. Every poll is a new connection.
  const deadline = Date.now() + 1000;
  let draining;
  do {
    draining = await client.get('/ready').catch(notAnswering);
  } while (draining.status !== 503 && Date.now() < deadline);
  assert.equal(
    draining.status,
    503,
    `Within 1 s of SIGTERM, GET /ready should answer 503 so the balancer stops sending traffic, got ${summarize(draining)}`,
  );
  // One 503 could come from a request accepted just before the server stopped listening; a
  // balancer needs a few in a row before it takes the instance out.
  for (let poll = 0; poll < 3; poll += 1) {
    await sleep(150);
    const again = await client.get('/ready').catch(notAnswering);
    assert.equal(
      again.status,
      503,
      `While draining, GET /ready should keep answering 503, got ${summarize(again)}`,
    );
  }
  await slow.answer;
});
