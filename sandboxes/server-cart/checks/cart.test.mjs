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

async function add(client, sku, qty, extra = {}) {
  const res = await client.post('/cart/items', { sku, qty, ...extra });
  assert.ok(
    res.status === 200 || res.status === 201,
    `POST /cart/items {sku: "${sku}", qty: ${qty}} should answer 200, got ${summarize(res)}`,
  );
  return res;
}

const describeItems = (items) =>
  items.length === 0 ? 'an empty cart' : items.map((i) => `${i.sku} × ${i.qty}`).join(', ');

const sidOf = (client) => (client.cookies.has('sid') ? `sid=${client.cookies.get('sid')}` : 'none');

/** How many character positions vary across a set of ids (a counter varies in a few). */
function varyingPositions(ids) {
  const length = Math.max(...ids.map((id) => id.length));
  let varying = 0;
  for (let i = 0; i < length; i += 1) {
    if (new Set(ids.map((id) => id[i] ?? '')).size > 1) varying += 1;
  }
  return varying;
}

test('Adding to the cart starts a session with an HttpOnly, Secure, SameSite cookie', async () => {
  const server = await startServer();
  const ids = [];
  for (let shopper = 0; shopper < 8; shopper += 1) {
    const res = await add(createClient(server), 'filters', 1);
    const sid = res.setCookies.find((c) => c.name === 'sid');
    assert.ok(
      sid,
      `A new shopper's first POST /cart/items should set a "sid" cookie, got ${JSON.stringify(res.headers['set-cookie'] ?? 'no Set-Cookie header')}`,
    );
    const header = res.headers['set-cookie'].find((h) => h.startsWith('sid='));
    assert.equal(sid.attributes.httponly, true, `Expected HttpOnly in: ${header}`);
    assert.equal(sid.attributes.secure, true, `Expected Secure in: ${header}`);
    assert.match(
      String(sid.attributes.samesite ?? ''),
      /^(lax|strict)$/i,
      `Expected SameSite=Lax in: ${header}`,
    );
    ids.push(sid.value);
  }
  const varying = varyingPositions(ids);
  assert.ok(
    new Set(ids).size === ids.length && varying >= 16,
    `Expected 8 new shoppers to get 8 unguessable ids, got ids that differ in ${varying} character position(s): ${ids.slice(0, 3).join(', ')}, …`,
  );
});

test('Two shoppers have separate carts', async () => {
  const server = await startServer();
  const ana = createClient(server);
  const ben = createClient(server);
  await add(ana, 'mug-blue', 2);
  await add(ben, 'kettle', 1);
  const anaCart = await getCart(ana);
  const benCart = await getCart(ben);
  const evidence = `Both shoppers connect from 127.0.0.1, as two people behind one home router would. Cookies: Ana ${sidOf(ana)}, Ben ${sidOf(ben)}.`;
  assert.ok(
    !ana.cookies.has('sid') || ana.cookies.get('sid') !== ben.cookies.get('sid'),
    `Two shoppers were given the same session id. ${evidence}`,
  );
  assert.deepEqual(
    anaCart.items.map((i) => i.sku),
    ['mug-blue'],
    `Ana added only mug-blue, but her cart holds ${describeItems(anaCart.items)}. ${evidence}`,
  );
  assert.deepEqual(
    benCart.items.map((i) => i.sku),
    ['kettle'],
    `Ben added only a kettle, but his cart holds ${describeItems(benCart.items)}. ${evidence}`,
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

test('Removing an item takes it out of the cart, and removing it again changes nothing', async () => {
  const server = await startServer();
  const shopper = createClient(server);
  await add(shopper, 'kettle', 1);
  await add(shopper, 'filters', 2);
  for (const attempt of ['', ' a second time']) {
    const res = await shopper.del('/cart/items/kettle');
    assert.ok(
      res.status === 200 || res.status === 204,
      `DELETE /cart/items/kettle${attempt} should answer 200 (or 204), got ${summarize(res)}`,
    );
    const cart = await getCart(shopper);
    assert.deepEqual(
      cart.items.map(({ sku, qty }) => ({ sku, qty })),
      [{ sku: 'filters', qty: 2 }],
      `After removing the kettle${attempt}, expected filters × 2 only, got ${describeItems(cart.items)}`,
    );
  }
});

test('Prices come from the catalog, not from the request', async () => {
  const server = await startServer();
  const shopper = createClient(server);
  // A shopper who edits the request in their browser's developer tools.
  await add(shopper, 'kettle', 1, { price: 1, name: 'Free kettle', total: 1 });
  const cart = await getCart(shopper);
  const kettle = cart.items.find((item) => item.sku === 'kettle');
  assert.equal(
    cart.total,
    4500,
    `A POST that claimed the kettle costs 1 cent should still be priced at 4500 from the catalog; the cart's total is ${cart.total} (line: ${JSON.stringify(kettle)})`,
  );
  assert.ok(
    !kettle || kettle.price === undefined || kettle.price === 4500,
    `The kettle line should show the catalog price 4500, got ${JSON.stringify(kettle)}`,
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
    { sku: 'mug-blue', qty: 100 },
    { sku: 'mug-blue' },
    { sku: 'no-such-thing', qty: 1 },
    { sku: 'toString', qty: 1 },
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
  await add(shopper, 'mug-blue', 60);
  const more = await shopper.post('/cart/items', { sku: 'mug-blue', qty: 60 });
  const after = await getCart(shopper);
  assert.equal(
    more.status,
    400,
    `Adding 60 mugs and then 60 more would make a line of 120, over the 1 to 99 limit: expected 400, got ${summarize(more)}; the cart now holds ${describeItems(after.items)}`,
  );
  assert.equal(
    after.count,
    60,
    `A refused add must leave the line as it was (mug-blue × 60), got ${describeItems(after.items)}`,
  );
});

test('A session id the server never issued is replaced, not adopted', async () => {
  const server = await startServer();
  const shopper = createClient(server);
  const planted = 'chosen-by-someone-else-0001';
  shopper.setCookie('sid', planted);
  const res = await add(shopper, 'tea-sencha', 1);
  const now = shopper.cookies.get('sid');
  const answer = res.setCookies.some((c) => c.name === 'sid')
    ? `your server set sid=${now}`
    : 'your server sent no new sid cookie';
  assert.notEqual(
    now,
    planted,
    `A shopper arrived with a cookie sid=${planted} that your server never issued and added to the cart; ${answer}, so the browser keeps an id that someone else chose.`,
  );
  const intruder = createClient(server);
  intruder.setCookie('sid', planted);
  const seen = await getCart(intruder);
  assert.equal(
    seen.items.length,
    0,
    `Someone else sending sid=${planted} sees the shopper's cart: ${describeItems(seen.items)}`,
  );
});

test('Requests that store nothing start no session', async () => {
  const server = await startServer();
  for (const [method, path] of [
    ['GET', '/no-such-page'],
    ['GET', '/cart'],
    ['DELETE', '/cart/items/kettle'],
  ]) {
    const res = await createClient(server).request(method, path);
    const cookie = (res.headers['set-cookie'] ?? []).find((h) => h.startsWith('sid='));
    assert.equal(
      cookie,
      undefined,
      `${method} ${path} from a new visitor answered ${res.status} and set ${cookie}. A session that holds nothing still costs memory (and a store entry later): create one only when there is something to remember.`,
    );
  }
});
