import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, sleep, startServer, startStore, summarize } from '../_kit/check-helpers.mjs';

// One store for the checks that only read and write it: session ids are random, so checks cannot
// see each other's keys. The checks that expire keys or stop the store get a store of their own.
let shared;

/** Your server connected to a store, as the Run button starts them. */
async function startApp(env = {}, { ownStore = false } = {}) {
  const store = ownStore ? await startStore() : (shared ??= await startStore());
  const server = await startServer({ env: { STORE_URL: store.url, ...env } });
  return { store, server };
}

/** A session saved Redis-style, as a JSON string, reads back as the object it encodes. */
function decoded(value) {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** What the store holds under `key`: { found: true, value } or { found: false }. */
async function readStoreKey(store, key) {
  const res = await createClient(store.url).get(`/keys/${encodeURIComponent(key)}`);
  if (res.status !== 200) return { found: false };
  return { found: true, value: decoded(res.json()) };
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
  const before = client.cookies.get('sid');
  await server.restart(); // the store keeps running, as it would during a deploy
  const after = await visit(client);
  const now = client.cookies.get('sid');
  const cookies =
    now === before
      ? `with the same cookie sid=${before}`
      : `with the cookie sid=${before}; the restarted server did not know it and sent a new one, sid=${now}`;
  assert.equal(
    after,
    3,
    `Visited twice, restarted your server (the store kept running), visited again ${cookies}. Expected 3, got ${after}. Sessions kept in process memory die with the process.`,
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
  const saved = decoded(res.json());
  assert.equal(
    saved?.visits,
    2,
    `After two visits, expected the store's "${key}" to hold {"visits":2}, got ${res.text}`,
  );
});

test('Two servers on one store count the same visitor together', async () => {
  const { store, server } = await startApp();
  const second = await startServer({ env: { STORE_URL: store.url } });
  const client = createClient(server);
  await countsOf(client, 2);
  const sid = client.cookies.get('sid');
  assert.ok(sid, 'Expected your server to set a sid cookie, but the visitor has none');
  const elsewhere = createClient(second);
  elsewhere.setCookie('sid', sid);
  const onSecond = await visit(elsewhere);
  assert.equal(
    onSecond,
    3,
    `Visited server 1 twice, then server 2 (same store) with the same cookie sid=${sid}. Expected 3, got ${onSecond}. Server 2 should find the session in the store.`,
  );
  const backOnFirst = await visit(client);
  assert.equal(
    backOnFirst,
    4,
    `Visited server 1 twice, server 2 once (it counted 3), then server 1 again with sid=${sid}. Expected 4, got ${backOnFirst}: server 1 answered from something it kept in its own memory, not from the store.`,
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

test('An idle session expires after SESSION_TTL_SECONDS', async () => {
  const { store, server } = await startApp({ SESSION_TTL_SECONDS: '1' }, { ownStore: true });
  const client = createClient(server);
  const counts = await countsOf(client, 2);
  assert.deepEqual(
    counts,
    [1, 2],
    `With SESSION_TTL_SECONDS=1, two quick visits should count 1, 2, got ${counts.join(', ')}: the session expired too early.`,
  );
  const sid = client.cookies.get('sid');
  const key = `session:${sid}`;
  let held = await readStoreKey(store, key);
  assert.ok(
    held.found,
    `Expected the store to hold "${key}" right after two visits, but it has no such key: the session is not in the store yet.`,
  );
  // The store drops a key once its time-to-live has passed; wait for that with a deadline.
  const deadline = Date.now() + 6000;
  while (held.found && Date.now() < deadline) {
    await sleep(200);
    held = await readStoreKey(store, key);
  }
  assert.equal(
    held.found,
    false,
    `With SESSION_TTL_SECONDS=1, the store still held "${key}" (${JSON.stringify(held.value)}) 6 s after the last visit. A session saved without an expiry lives until the store restarts.`,
  );
  const after = await visit(client);
  assert.equal(after, 1, `After the session expired, expected a fresh count of 1, got ${after}`);
});

test('When the store is down, your server answers 503 and keeps running', async () => {
  const { store, server } = await startApp({}, { ownStore: true });
  const client = createClient(server);
  await visit(client);
  await store.stop();
  for (const attempt of ['first', 'second']) {
    const res = await client.get('/');
    assert.equal(
      res.status,
      503,
      `With the store stopped, the ${attempt} GET / (cookie sid=${client.cookies.get('sid')}) should answer 503, got ${summarize(res)}`,
    );
  }
});
