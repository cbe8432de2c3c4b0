import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, startServer, startStore, summarize } from '../_kit/check-helpers.mjs';

/** A fresh store and your server connected to it, as the Run button starts them. */
async function startApp() {
  const store = await startStore();
  const server = await startServer({ env: { STORE_URL: store.url } });
  return { store, server };
}

/** GET / and return the visit count, failing with a readable message if the answer is off. */
async function visit(client) {
  const res = await client.get('/');
  assert.equal(res.status, 200, `Expected status 200 from GET /, got ${summarize(res)}`);
  const body = res.json();
  assert.equal(
    typeof body.visits,
    'number',
    `Expected a JSON body like {"visits": 1}, got ${summarize(res)}`,
  );
  return body.visits;
}

async function countsOf(client, times) {
  const counts = [];
  for (let i = 0; i < times; i += 1) counts.push(await visit(client));
  return counts;
}

test("The same visitor's count still goes 1, 2, 3", async () => {
  const { server } = await startApp();
  const counts = await countsOf(createClient(server), 3);
  assert.deepEqual(
    counts,
    [1, 2, 3],
    `Expected three visits to count 1, 2, 3, got ${counts.join(', ')}`,
  );
});

test('Two visitors get independent counts', async () => {
  const { server } = await startApp();
  const alice = createClient(server);
  const bob = createClient(server);
  await countsOf(alice, 2);
  const bobFirst = await visit(bob);
  const aliceThird = await visit(alice);
  assert.equal(
    bobFirst,
    1,
    `Alice visited twice, then Bob visited for the first time. Expected Bob to see 1, got ${bobFirst}`,
  );
  assert.equal(aliceThird, 3, `Expected Alice's third visit to count 3, got ${aliceThird}`);
});

test('A visitor keeps their count when your server restarts', async () => {
  const { server } = await startApp();
  const client = createClient(server);
  await countsOf(client, 2);
  await server.restart(); // the store keeps running, as it would during a deploy
  const after = await visit(client);
  assert.equal(
    after,
    3,
    `Visited twice, restarted your server (the store kept running), visited again with the same cookie. Expected 3, got ${after}. Sessions kept in process memory die with the process.`,
  );
});

test('The session is saved in the store under the key session:<id>', async () => {
  const { store, server } = await startApp();
  const client = createClient(server);
  await countsOf(client, 2);
  const sid = client.cookies.get('sid');
  assert.ok(sid, 'Expected your server to set a sid cookie, but the visitor has none');
  const key = `session:${sid}`;
  const res = await createClient(store.url).get(`/keys/${encodeURIComponent(key)}`);
  if (res.status === 404) {
    const keys = (await createClient(store.url).get('/keys')).json().keys;
    assert.fail(
      `Expected the store to hold the key "${key}", but it has ${keys.length ? `only: ${keys.join(', ')}` : 'no keys at all'}`,
    );
  }
  assert.equal(
    res.status,
    200,
    `Expected the store to answer 200 for "${key}", got ${summarize(res)}`,
  );
  const saved = res.json();
  assert.equal(
    saved?.visits,
    2,
    `After two visits, expected the store's "${key}" to hold {"visits":2}, got ${res.text}`,
  );
});

test('An unknown session id still starts a fresh session', async () => {
  const { server } = await startApp();
  const client = createClient(server);
  const madeUp = 'not-a-session-this-server-issued';
  client.setCookie('sid', madeUp);
  const visits = await visit(client);
  assert.equal(visits, 1, `Expected a visitor with an unknown sid to start at 1, got ${visits}`);
  const fresh = client.cookies.get('sid');
  assert.ok(
    fresh && fresh !== madeUp,
    `Expected a NEW id in Set-Cookie, got ${fresh === madeUp ? 'the made-up id back' : 'no new sid cookie'}`,
  );
});
