import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, createClient, summarize, sleep } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

async function shopperWithCart(cluster) {
  const client = createClient(cluster.url);
  const res = await client.post('/cart/items', { sku: 'mug-blue', qty: 1 });
  assert.equal(res.status, 200, `POST /cart/items should answer 200, got ${summarize(res)}`);
  return client;
}

const attempt = (client) => client.post('/cart/coupon', { code: 'GUESS' });

test('The sixth coupon attempt in a window gets 429, whichever instance receives it', async () => {
  const cluster = await startCluster({ instances: 3, store: true });
  const client = await shopperWithCart(cluster);
  const statuses = [];
  for (let i = 1; i <= 15; i += 1) {
    const res = await attempt(client);
    statuses.push(`${res.status} from ${res.headers['x-served-by']}`);
  }
  const allowed = statuses.filter((s) => !s.startsWith('429')).length;
  measure('coupon-attempts-allowed', allowed, 'attempts');
  assert.ok(
    statuses.slice(0, 5).every((s) => !s.startsWith('429')),
    `The first 5 attempts should be allowed; got ${statuses.slice(0, 5).join(', ')}`,
  );
  assert.equal(
    allowed,
    5,
    `15 wrong coupons in a row: ${allowed} were let through, expected 5. The answers: ${statuses.join(', ')}`,
  );
});

test('Once the window has passed, a shopper may try again', async () => {
  const cluster = await startCluster({
    instances: 3,
    store: true,
    env: { COUPON_WINDOW_SECONDS: '3' },
  });
  const client = await shopperWithCart(cluster);
  // Attempt until the limit bites (a slow machine may see a window end on the way).
  let last;
  for (let i = 1; i <= 12; i += 1) {
    last = await attempt(client);
    if (last.status === 429) break;
  }
  assert.equal(
    last.status,
    429,
    `12 attempts in a row never got 429; the last answer: ${summarize(last)}`,
  );
  // COUPON_WINDOW_SECONDS=3: poll (no fixed sleep) until the window ends, with a deadline.
  const deadline = Date.now() + 8000;
  while (last.status === 429 && Date.now() < deadline) {
    await sleep(250);
    last = await attempt(client);
  }
  assert.notEqual(
    last.status,
    429,
    `With COUPON_WINDOW_SECONDS=3, attempts were still refused 8 s later (${summarize(last)}): does the count ever expire?`,
  );
});
