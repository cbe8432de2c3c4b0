import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createClient, summarize } from '../_kit/check-helpers.mjs';

// Asks for the cart and returns its JSON, failing with a readable message if that doesn't work.
async function getCart(client) {
  const res = await client.get('/cart');
  assert.equal(res.status, 200, `GET /cart should answer 200, got ${summarize(res)}`);
  const cart = res.json();
  assert.ok(
    Array.isArray(cart.items),
    `GET /cart should answer {"items": [...]}, got ${summarize(res)}`,
  );
  return cart;
}

async function add(client, sku, qty) {
  const res = await client.post('/cart/items', { sku, qty });
  assert.equal(
    res.status,
    200,
    `POST /cart/items {sku: "${sku}", qty: ${qty}} should answer 200, got ${summarize(res)}`,
  );
  return res;
}

const describeItems = (items) =>
  items.length === 0 ? 'an empty cart' : items.map((i) => `${i.sku} × ${i.qty}`).join(', ');

test('A new shopper gets an HttpOnly, SameSite=Lax session cookie', async () => {
  const server = await startServer();
  const res = await createClient(server).get('/cart');
  const sid = res.setCookies.find((c) => c.name === 'sid');
  assert.ok(
    sid,
    `The first GET /cart should set a "sid" cookie, got headers ${JSON.stringify(res.headers['set-cookie'] ?? [])}`,
  );
  assert.equal(sid.attributes.httponly, true, 'The sid cookie should carry the HttpOnly attribute');
  assert.equal(
    String(sid.attributes.samesite).toLowerCase(),
    'lax',
    `The sid cookie should carry SameSite=Lax, got SameSite=${sid.attributes.samesite}`,
  );
});

test('Adding the same sku twice raises its quantity instead of adding a line', async () => {
  const server = await startServer();
  const shopper = createClient(server);
  await add(shopper, 'mug-blue', 2);
  await add(shopper, 'mug-blue', 3);
  const cart = await getCart(shopper);
  const mugs = cart.items.filter((item) => item.sku === 'mug-blue');
  assert.equal(
    mugs.length,
    1,
    `Expected one mug-blue line with qty 5, got ${describeItems(cart.items)}`,
  );
  assert.equal(
    mugs[0].qty,
    5,
    `Expected mug-blue × 5 after adding 2 and then 3, got ${describeItems(cart.items)}`,
  );
  assert.equal(cart.count, 5, `Expected count 5 (units in the cart), got count ${cart.count}`);
});

test('Removing an item takes it out of the cart', async () => {
  const server = await startServer();
  const shopper = createClient(server);
  await add(shopper, 'kettle', 1);
  await add(shopper, 'filters', 2);
  const res = await shopper.del('/cart/items/kettle');
  assert.equal(
    res.status,
    200,
    `DELETE /cart/items/kettle should answer 200, got ${summarize(res)}`,
  );
  const cart = await getCart(shopper);
  assert.deepEqual(
    cart.items.map(({ sku, qty }) => ({ sku, qty })),
    [{ sku: 'filters', qty: 2 }],
    `After removing the kettle, expected filters × 2 only, got ${describeItems(cart.items)}`,
  );
  const again = await shopper.del('/cart/items/kettle');
  assert.equal(
    again.status,
    200,
    `Removing the kettle a second time should still answer 200, got ${summarize(again)}`,
  );
});

test('Two shoppers have separate carts', async () => {
  const server = await startServer();
  const ana = createClient(server);
  const ben = createClient(server);
  await add(ana, 'mug-blue', 2);
  await add(ben, 'kettle', 1);
  assert.notEqual(
    ana.cookies.get('sid'),
    ben.cookies.get('sid'),
    'Two shoppers were given the same session id',
  );
  const anaCart = await getCart(ana);
  const benCart = await getCart(ben);
  assert.deepEqual(
    anaCart.items.map((i) => i.sku),
    ['mug-blue'],
    `The first shopper added only mug-blue, but their cart holds ${describeItems(anaCart.items)}`,
  );
  assert.deepEqual(
    benCart.items.map((i) => i.sku),
    ['kettle'],
    `The second shopper added only a kettle, but their cart holds ${describeItems(benCart.items)}`,
  );
});

test('A cart is still there after 50 requests', async () => {
  const server = await startServer();
  const shopper = createClient(server);
  await add(shopper, 'kettle', 1);
  const sid = shopper.cookies.get('sid');
  for (let n = 2; n <= 49; n += 1) {
    const res = await shopper.get('/cart');
    if (res.setCookies.some((c) => c.name === 'sid')) {
      assert.fail(
        `Request ${n} got a new session cookie although it sent a valid one (sid=${sid})`,
      );
    }
    const items = res.json().items ?? [];
    const kettle = items.find((item) => item.sku === 'kettle');
    assert.ok(
      kettle && kettle.qty === 1,
      `Request ${n} should still show kettle × 1, got ${describeItems(items)}`,
    );
  }
  await add(shopper, 'tea-sencha', 2);
  const cart = await getCart(shopper);
  assert.equal(
    cart.count,
    3,
    `After 50 requests expected kettle × 1 and tea-sencha × 2, got ${describeItems(cart.items)}`,
  );
});

test('An invalid quantity or sku is refused with 400 and a JSON error', async () => {
  const server = await startServer();
  const shopper = createClient(server);
  const bad = [
    { sku: 'mug-blue', qty: 0 },
    { sku: 'mug-blue', qty: -1 },
    { sku: 'mug-blue', qty: 1.5 },
    { sku: 'mug-blue', qty: 'two' },
    { sku: 'mug-blue' },
    { sku: 'no-such-thing', qty: 1 },
  ];
  for (const body of bad) {
    const res = await shopper.post('/cart/items', body);
    assert.equal(
      res.status,
      400,
      `POST /cart/items ${JSON.stringify(body)} should answer 400, got ${summarize(res)}`,
    );
    let error;
    try {
      error = JSON.parse(res.text).error;
    } catch {
      // handled by the assertion below
    }
    assert.equal(
      typeof error,
      'string',
      `The 400 for ${JSON.stringify(body)} should be JSON like {"error": "…"}, got ${summarize(res)}`,
    );
  }
  const notJson = await shopper.post('/cart/items', '{"sku": "mug-blue", "qty": ', {
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(
    notJson.status,
    400,
    `A body that is not valid JSON should answer 400, got ${summarize(notJson)}`,
  );
  const cart = await getCart(shopper);
  assert.equal(
    cart.items.length,
    0,
    `Refused requests must not change the cart, but it holds ${describeItems(cart.items)}`,
  );
});
