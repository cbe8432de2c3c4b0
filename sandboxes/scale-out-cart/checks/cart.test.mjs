import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, createClient, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

const servedBy = (res) => res.headers['x-served-by'] ?? 'an unnamed instance';
const qtyOf = (res, sku) => res.json().items?.find((item) => item.sku === sku)?.qty ?? 0;

// One cluster for this file (starting 3 instances is the slow part); the restart test runs last.
let cluster;
before(async () => {
  cluster = await startCluster({ instances: 3, store: true });
});

async function add(client, sku, qty = 1) {
  const res = await client.post('/cart/items', { sku, qty });
  assert.equal(
    res.status,
    200,
    `POST /cart/items {${sku}} should answer 200, got ${summarize(res)}`,
  );
  return res;
}

test('A cart added through the balancer is seen by all 3 instances', async () => {
  const shopper = createClient(cluster.url);
  const first = await add(shopper, 'mug-blue');
  const where = servedBy(first);

  let seen = 0;
  const misses = [];
  const instances = new Set();
  for (let i = 1; i <= 9; i += 1) {
    const res = await shopper.get('/cart');
    instances.add(servedBy(res));
    if (res.status === 200 && qtyOf(res, 'mug-blue') === 1) seen += 1;
    else misses.push(`request ${i} (${servedBy(res)}): ${summarize(res)}`);
  }
  measure('cart-seen-of-9', seen, 'requests');
  assert.equal(
    misses.length,
    0,
    `The mug was added on ${where}, but ${misses.length} of 9 requests did not see it:\n${misses.slice(0, 3).join('\n')}`,
  );
  assert.equal(instances.size, 3, `The 9 requests should reach 3 instances, got ${[...instances]}`);

  // A second add lands on some instance; every instance must now read quantity 2, not a copy it
  // kept from before.
  await add(shopper, 'mug-blue');
  for (let i = 1; i <= 3; i += 1) {
    const res = await shopper.get('/cart');
    assert.equal(
      qtyOf(res, 'mug-blue'),
      2,
      `After a second mug, ${servedBy(res)} still answered ${summarize(res)}: is an instance keeping its own copy of the session?`,
    );
  }
});

test('Two shoppers behind the balancer keep separate carts', async () => {
  const ana = createClient(cluster.url);
  const ben = createClient(cluster.url);
  await add(ana, 'mug-blue', 2);
  await add(ben, 'kettle', 1);
  for (let round = 1; round <= 3; round += 1) {
    for (const [who, client, sku, other] of [
      ['Ana', ana, 'mug-blue', 'kettle'],
      ['Ben', ben, 'kettle', 'mug-blue'],
    ]) {
      const res = await client.get('/cart');
      assert.ok(
        qtyOf(res, sku) > 0 && qtyOf(res, other) === 0,
        `${who} should see only their own ${sku}; ${servedBy(res)} answered ${summarize(res)}`,
      );
    }
  }
});

test('A session id the server never issued is replaced, not adopted', async () => {
  const first = createClient(cluster.url);
  const res = await add(first, 'mug-blue');
  const cookie = res.setCookies[0];
  assert.ok(
    cookie,
    `A new shopper's first POST should set a session cookie, got ${summarize(res)}`,
  );

  const attacker = 'chosen-by-the-attacker-0001';
  const victim = createClient(cluster.url);
  victim.setCookie(cookie.name, attacker);
  const answer = await add(victim, 'kettle');
  const issued = answer.setCookies.find((c) => c.name === cookie.name);
  assert.ok(
    issued && issued.value !== attacker,
    `A request with ${cookie.name}=${attacker} should get a new id in Set-Cookie; it got ${issued ? `${cookie.name}=${issued.value}` : 'no new cookie'}`,
  );
});

test('Bad quantities and unknown skus are refused with 400 or 422', async () => {
  const client = createClient(cluster.url);
  for (const body of [
    { sku: 'mug-blue', qty: 0 },
    { sku: 'mug-blue', qty: 100 },
    { sku: 'nope', qty: 1 },
  ]) {
    const res = await client.post('/cart/items', body);
    assert.ok(
      res.status === 400 || res.status === 422,
      `POST /cart/items ${JSON.stringify(body)} should get 400 (or 422), got ${summarize(res)}`,
    );
  }
});

test('After instance 3 restarts, a request sent straight to it still sees the cart', async () => {
  const shopper = createClient(cluster.url);
  await add(shopper, 'tea-sencha', 3);
  await cluster.restart(3);
  const three = cluster.instances.find((i) => i.n === 3);
  const direct = createClient(three.url);
  for (const [name, value] of shopper.cookies) direct.setCookie(name, value);
  const res = await direct.get('/cart');
  assert.equal(
    qtyOf(res, 'tea-sencha'),
    3,
    `Instance 3 was restarted, then asked for the cart with the shopper's cookie: ${summarize(res)}`,
  );
});
