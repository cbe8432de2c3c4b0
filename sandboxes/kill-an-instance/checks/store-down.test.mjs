import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createClient, summarize, sleep } from '../_kit/check-helpers.mjs';
import { startStoreProcess } from './store-process.mjs';

let store;
let server;
let shopper;

before(async () => {
  store = await startStoreProcess();
  server = await startServer({ env: { STORE_URL: store.url, INSTANCE: '1' } });
  shopper = createClient(server);
  const res = await shopper.post('/cart/items', { sku: 'kettle', qty: 1 });
  assert.equal(
    res.status,
    200,
    `With the store up, POST /cart/items should answer 200, got ${summarize(res)}`,
  );
  await store.stop();
});

test('While the store is down, the server answers 503 with Retry-After and stays up', async () => {
  for (const [what, send] of [
    ['GET /cart', () => shopper.get('/cart')],
    ['POST /cart/items', () => shopper.post('/cart/items', { sku: 'mug-blue', qty: 1 })],
    [
      'POST /cart/items from a new visitor',
      () => createClient(server).post('/cart/items', { sku: 'kettle', qty: 1 }),
    ],
  ]) {
    const res = await send();
    assert.equal(
      res.status,
      503,
      `With the store stopped, ${what} should get 503, got ${summarize(res)}`,
    );
    const retry = res.headers['retry-after'];
    assert.ok(
      retry !== undefined && /^\d+$/.test(String(retry).trim()),
      `A 503 should say when to come back with Retry-After: <seconds>; got ${retry === undefined ? 'no Retry-After header' : `Retry-After: ${retry}`}`,
    );
  }
});

test('When the store is back, the same server process serves again without a restart', async () => {
  await store.start();
  // The store restarted empty (no persistence): a working server answers 200 with a new session.
  const deadline = Date.now() + 5000;
  let res = await createClient(server).get('/cart');
  while (res.status !== 200 && Date.now() < deadline) {
    await sleep(200);
    res = await createClient(server).get('/cart');
  }
  assert.equal(
    res.status,
    200,
    `The store has been back for 5 s, but GET /cart still answers ${summarize(res)}`,
  );
  const again = createClient(server);
  const added = await again.post('/cart/items', { sku: 'mug-blue', qty: 2 });
  assert.equal(
    added.status,
    200,
    `After the store came back, POST /cart/items got ${summarize(added)}`,
  );
  const read = await again.get('/cart');
  assert.equal(
    read.json().items?.[0]?.qty,
    2,
    `After the store came back, a new cart should be saved and read back; got ${summarize(read)}`,
  );
});
