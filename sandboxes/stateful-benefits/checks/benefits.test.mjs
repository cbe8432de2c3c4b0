import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createClient, fail, startCluster, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

// Three instances behind a round-robin balancer, sharing the kit's store: consecutive requests
// from one client land on different instances.
let cluster;
before(async () => {
  cluster = await startCluster({
    instances: 3,
    strategy: 'round-robin',
    store: true,
    readyTimeoutMs: 20000,
  });
});

const device = () => createClient(cluster);

async function call(client, method, path, body, expected, what = `${method} ${path}`) {
  const res = await client.request(method, path, body === undefined ? {} : { body });
  const allowed = [expected].flat();
  if (expected !== undefined && !allowed.includes(res.status)) {
    fail(
      `${what}: expected ${allowed.join(' or ')}, got ${summarize(res)} from ${res.headers['x-served-by'] ?? 'the balancer'}`,
    );
  }
  return res;
}

async function login(
  client,
  user = 'alice',
  password = user === 'alice' ? 'wonderland' : 'builder',
) {
  return call(client, 'POST', '/login', { user, password }, 200, `POST /login as ${user}`);
}

const is4xx = (status) => status >= 400 && status < 500;

test("Log out everywhere ends all of a user's sessions, on every instance", async () => {
  const laptop = device();
  const phone = device();
  await login(laptop);
  await login(phone);
  await call(phone, 'GET', '/me', undefined, 200, "GET /me on alice's phone before");
  await call(
    laptop,
    'POST',
    '/logout-everywhere',
    {},
    [200, 204],
    'POST /logout-everywhere from the laptop',
  );
  // Ask on all three instances first, so the learner's number counts every one still letting her in.
  const answers = [];
  for (let i = 0; i < 3; i += 1) answers.push(await call(phone, 'GET', '/me'));
  measure(
    'phone-answers-after-logout-everywhere',
    answers.filter((r) => r.status === 200).length,
    'requests',
  );
  answers.forEach((res, i) => {
    assert.equal(
      res.status,
      401,
      `Alice pressed "log out everywhere" on her laptop. Her phone's GET /me (try ${i + 1}, ${res.headers['x-served-by'] ?? 'unknown instance'}) still answered ${summarize(res)}; expected 401.`,
    );
  });
});

test('Log out everywhere leaves other users logged in', async () => {
  const alice = device();
  const bob = device();
  await login(alice);
  await login(bob, 'bob');
  await call(
    alice,
    'POST',
    '/logout-everywhere',
    {},
    [200, 204],
    'POST /logout-everywhere as alice',
  );
  for (let i = 0; i < 3; i += 1) {
    const res = await call(bob, 'GET', '/me');
    assert.equal(
      res.status,
      200,
      `Alice logged out everywhere; Bob's GET /me then answered ${summarize(res)}. Only Alice's sessions should end.`,
    );
  }
});

test('Checkout steps cannot be skipped', async () => {
  const shopper = device();
  await call(shopper, 'POST', '/cart/items', { sku: 'mug', qty: 1 }, 200);
  const early = await call(shopper, 'POST', '/checkout/confirm', {
    address: '1 Harbour Street',
    shipping: 'express',
    steps: ['address', 'shipping'],
  });
  assert.ok(
    is4xx(early.status),
    `A shopper who never did the address or shipping step sent POST /checkout/confirm with a body claiming both. Expected a 4xx refusal, got ${summarize(early)}.`,
  );
  const skipped = await call(shopper, 'POST', '/checkout/shipping', {
    method: 'express',
    address: '1 Harbour Street',
  });
  assert.ok(
    is4xx(skipped.status),
    `POST /checkout/shipping before any address step should be refused with a 4xx; got ${summarize(skipped)}.`,
  );
});

test('The order uses what the server remembered from each step', async () => {
  const shopper = device();
  await call(shopper, 'POST', '/checkout/address', { address: '1 Harbour Street' }, 200);
  await call(shopper, 'POST', '/checkout/shipping', { method: 'express' }, 200);
  const res = await call(
    shopper,
    'POST',
    '/checkout/confirm',
    { address: 'Somewhere Else 9', shipping: 'standard' },
    200,
    'POST /checkout/confirm after both steps (through a third instance)',
  );
  const order = res.json().order ?? {};
  assert.deepEqual(
    { address: order.address, shipping: order.shipping },
    { address: '1 Harbour Street', shipping: 'express' },
    `The shopper chose "1 Harbour Street" and express shipping in the steps, then sent different values with confirm. The order says ${JSON.stringify(order)}. Use what the session holds, not what the last request claims.`,
  );
});

test('A finished checkout cannot be confirmed a second time', async () => {
  const shopper = device();
  await call(shopper, 'POST', '/checkout/address', { address: '1 Harbour Street' }, 200);
  await call(shopper, 'POST', '/checkout/shipping', { method: 'standard' }, 200);
  await call(
    shopper,
    'POST',
    '/checkout/confirm',
    {},
    200,
    // Without this, a 409 on the starter reads as a contradiction of the steps just taken.
    'After both steps, the first POST /checkout/confirm (empty body: the server must remember the steps)',
  );
  const again = await call(shopper, 'POST', '/checkout/confirm', {});
  assert.ok(
    is4xx(again.status),
    `A second POST /checkout/confirm right after a finished checkout answered ${summarize(again)}; expected a 4xx. The finished flow should be cleared from the session.`,
  );
});

test('A logged-in cart follows the account to a second device', async () => {
  const laptop = device();
  const phone = device();
  await login(laptop, 'bob');
  await login(phone, 'bob');
  await call(
    laptop,
    'POST',
    '/cart/items',
    { sku: 'kettle', qty: 2 },
    200,
    'Adding 2 kettles on the laptop',
  );
  const res = await call(phone, 'GET', '/cart', undefined, 200, "GET /cart on bob's phone");
  const kettles = (res.json().items ?? []).find((i) => i.sku === 'kettle')?.qty ?? 0;
  assert.ok(
    kettles >= 2,
    `Bob added 2 kettles on his laptop, then opened the cart on his phone (a different session): it showed ${res.text}. A logged-in cart should belong to the account.`,
  );
});

test('Two anonymous visitors keep separate carts', async () => {
  const first = device();
  const second = device();
  await call(
    first,
    'POST',
    '/cart/items',
    { sku: 'filters', qty: 3 },
    200,
    'Anonymous visitor 1 adds filters',
  );
  await call(
    second,
    'POST',
    '/cart/items',
    { sku: 'mug', qty: 1 },
    200,
    'Anonymous visitor 2 adds a mug',
  );
  const res = await call(second, 'GET', '/cart', undefined, 200, 'GET /cart for visitor 2');
  const skus = (res.json().items ?? []).map((i) => i.sku);
  assert.deepEqual(
    skus,
    ['mug'],
    `Visitor 2 added only a mug but their cart holds ${JSON.stringify(res.json().items)}. Without an account, a cart belongs to one browser's session.`,
  );
});
