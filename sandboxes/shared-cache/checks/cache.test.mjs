import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, startCluster, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

// One cluster for every check: 3 round-robin instances with the shared cache in front.
let cluster;
before(async () => {
  cluster = await startCluster({ instances: 3, strategy: 'round-robin', cache: true });
});

/** A client of the cache, logged in as `user` (cookie set); resolves with it and its token. */
async function shopper(user) {
  const client = createClient(cluster);
  const res = await client.post('/login', { user });
  assert.equal(res.status, 200, `POST /login as ${user} should answer 200, got ${summarize(res)}`);
  return { client, token: res.json().token };
}

const direct = (n) => createClient(cluster.instances[n - 1].url);
const bearer = (token) => ({ headers: { authorization: `Bearer ${token}` } });

test("One shopper never receives another shopper's /me page through the cache", async () => {
  const ana = await shopper('ana');
  const ben = await shopper('ben');
  const cara = await shopper('cara');
  const dan = await shopper('dan');
  const visits = [
    ['ana (cookie)', 'ana', () => ana.client.get('/me')],
    ['ben (cookie)', 'ben', () => ben.client.get('/me')],
    ['cara (Authorization)', 'cara', () => createClient(cluster).get('/me', bearer(cara.token))],
    ['dan (Authorization)', 'dan', () => createClient(cluster).get('/me', bearer(dan.token))],
  ];
  for (const [who, user, visit] of visits) {
    const res = await visit();
    assert.equal(res.status, 200, `GET /me as ${who} should answer 200, got ${summarize(res)}`);
    const shown = res.json().user;
    assert.equal(
      shown,
      user,
      `${who} asked for GET /me and received ${shown}'s page (x-cache: ${res.headers['x-cache']}): the shared cache kept a personal page and handed it to the next shopper.`,
    );
  }
});

test('/me is marked private or no-store', async () => {
  const { client } = await shopper('erin');
  const res = await client.get('/me');
  const cacheControl = String(res.headers['cache-control'] ?? '');
  assert.match(
    cacheControl,
    /(^|,)\s*(private|no-store)\s*(,|$)/i,
    `GET /me came back with Cache-Control "${cacheControl || '(none)'}"; a personal page needs private (only the browser keeps it) or no-store (nobody does).`,
  );
});

test('A product page asked for twice, by anyone, is served from the shared cache', async () => {
  const ids = ['tea', 'mug', 'kettle'];
  const visitors = [
    createClient(cluster),
    (await shopper('fay')).client,
    (await shopper('gus')).client,
  ];
  let hits = 0;
  let total = 0;
  const seen = [];
  for (let round = 0; round < 4; round += 1) {
    for (const id of ids) {
      for (const visitor of visitors) {
        const res = await visitor.get(`/products/${id}?hit-ratio`);
        total += 1;
        if (res.headers['x-cache'] === 'HIT') hits += 1;
        seen.push(res.headers['x-cache']);
      }
    }
  }
  measure('product-hit-ratio', Math.round((hits / total) * 100) / 100, 'ratio');
  const { client } = await shopper('hal');
  const first = await client.get('/products/kettle');
  assert.equal(
    first.status,
    200,
    `GET /products/kettle should answer 200, got ${summarize(first)}`,
  );
  const again = await (await shopper('ivy')).client.get('/products/kettle');
  assert.equal(
    again.headers['x-cache'],
    'HIT',
    `Hal, then Ivy (both logged in, so their requests carry a cookie) asked for GET /products/kettle; Ivy's answer was x-cache: ${again.headers['x-cache']} with Cache-Control "${again.headers['cache-control'] ?? '(none)'}". A shared cache keeps a page asked for with a cookie only if the answer says it may be shared.`,
  );
  assert.ok(
    hits > 0,
    `Of ${total} product requests, none came from the cache (${seen.slice(0, 6).join(', ')}…)`,
  );
});

test('A product page answers If-None-Match with 304 Not Modified', async () => {
  const instance = direct(1);
  const first = await instance.get('/products/tea');
  const etag = first.headers.etag;
  assert.ok(etag, `GET /products/tea (straight to instance 1) came back with no ETag header`);
  const again = await instance.get('/products/tea', { headers: { 'if-none-match': etag } });
  assert.equal(
    again.status,
    304,
    `GET /products/tea with If-None-Match: ${etag} (the ETag it just sent) should answer 304 with no body, got ${summarize(again)}`,
  );
});

test('Every instance gives a product page the same ETag', async () => {
  const tags = [];
  for (const n of [1, 2, 3]) {
    const res = await direct(n).get('/products/mug');
    assert.equal(
      res.status,
      200,
      `GET /products/mug on instance ${n} should answer 200, got ${summarize(res)}`,
    );
    tags.push(res.headers.etag);
  }
  assert.ok(tags[0], 'GET /products/mug came back with no ETag header');
  assert.ok(
    tags.every((t) => t === tags[0]),
    `GET /products/mug on instances 1, 2 and 3 gave the ETags ${tags.join(', ')} for the same product. Behind a balancer, a tag that depends on the instance makes every revalidation that lands elsewhere a full download.`,
  );
});

test('Editing a product changes its ETag', async () => {
  const instance = direct(2);
  const before = await instance.get('/products/kettle');
  const oldTag = before.headers.etag;
  assert.ok(oldTag, 'GET /products/kettle came back with no ETag header');
  const edit = await instance.put('/products/kettle', { price: 3999 });
  assert.equal(edit.status, 200, `PUT /products/kettle should answer 200, got ${summarize(edit)}`);
  const after = await instance.get('/products/kettle', { headers: { 'if-none-match': oldTag } });
  assert.equal(
    after.status,
    200,
    `After PUT /products/kettle changed the price, GET with If-None-Match: ${oldTag} (the old tag) should answer 200 with the new price, got ${summarize(after)}`,
  );
  assert.notEqual(
    after.headers.etag,
    oldTag,
    `The kettle's price changed but its ETag stayed ${oldTag}`,
  );
  assert.equal(
    after.json().price,
    3999,
    `After the edit, GET /products/kettle should show price 3999, got ${summarize(after)}`,
  );
});
