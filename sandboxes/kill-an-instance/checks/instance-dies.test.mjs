import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, createClient, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

const SKUS = ['mug-blue', 'kettle', 'tea-sencha'];
let cluster;
let shoppers; // [{ client, sku, qty, home }]
let afterKill; // the 12 answers sent after instance 2 died
let stranger;
let strangerAnswer;

before(async () => {
  cluster = await startCluster({ instances: 3, strategy: 'sticky', store: true });
  shoppers = [];
  for (let i = 0; i < 6; i += 1) {
    const client = createClient(cluster.url);
    const sku = SKUS[i % 3];
    const res = await client.post('/cart/items', { sku, qty: i + 1 });
    assert.equal(
      res.status,
      200,
      `Shopper ${i + 1}: POST /cart/items should answer 200, got ${summarize(res)}`,
    );
    shoppers.push({ client, sku, qty: i + 1, home: res.headers['x-served-by'] });
  }
  await cluster.kill(2);
  afterKill = [];
  for (const shopper of shoppers) {
    for (let round = 0; round < 2; round += 1) {
      afterKill.push({ shopper, res: await shopper.client.get('/cart') });
    }
  }
  // A visitor whose cookie names a session nobody has (expired, or from a wiped store).
  const [cookieName] = [...shoppers[0].client.cookies.keys()].filter((name) => name !== 'svs_lb');
  stranger = createClient(cluster.url);
  stranger.setCookie(cookieName, 'a-session-that-no-longer-exists');
  strangerAnswer = await stranger.get('/cart');
});

test('Every shopper keeps their cart when instance 2 is killed', () => {
  const lost = shoppers.filter((shopper) => {
    const { res } = afterKill.find((a) => a.shopper === shopper);
    const line =
      res.status === 200 ? res.json().items?.find((item) => item.sku === shopper.sku) : null;
    return line?.qty !== shopper.qty;
  });
  measure('sessions-lost', lost.length, 'sessions');
  assert.equal(
    lost.length,
    0,
    `6 shoppers filled carts, then instance 2 was killed. ${lost.length} cart(s) came back wrong or empty; they had shopped on ${lost.map((s) => s.home).join(', ')}.`,
  );
});

test('After the kill, every request answers 200, even with a session id nobody knows', () => {
  const failed = afterKill.filter(({ res }) => res.status !== 200);
  assert.equal(
    failed.length,
    0,
    `${failed.length} of 12 requests after the kill failed, e.g. ${failed[0] ? summarize(failed[0].res) : ''}`,
  );
  assert.equal(
    strangerAnswer.status,
    200,
    `A visitor whose cookie names a session that no longer exists should be treated as new (200 and a fresh cookie), got ${summarize(strangerAnswer)}`,
  );
});
