import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, startServer, summarize } from '../_kit/check-helpers.mjs';

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
  return { res, visits: body.visits };
}

/** The sid cookie a response set, or a failure that says none came back. */
function sessionCookie(res, when) {
  const cookie = res.setCookies.find((c) => c.name === 'sid');
  if (!cookie) {
    const got = res.headers['set-cookie'] ?? [];
    assert.fail(
      `Expected ${when} to set a cookie named sid, got ${got.length ? `only: ${got.join(' | ')}` : 'no Set-Cookie header at all'}`,
    );
  }
  return cookie;
}

test('The first visit sets a session cookie that is HttpOnly, Secure and SameSite', async () => {
  const server = await startServer();
  const { res } = await visit(createClient(server));
  const cookie = sessionCookie(res, 'the first visit');
  const header = res.headers['set-cookie'].find((h) => h.startsWith('sid='));
  assert.ok(cookie.value.length > 0, `Expected the sid cookie to hold an id, got: ${header}`);
  assert.equal(cookie.attributes.httponly, true, `Expected HttpOnly in: ${header}`);
  assert.equal(cookie.attributes.secure, true, `Expected Secure in: ${header}`);
  assert.match(
    String(cookie.attributes.samesite ?? ''),
    /^(lax|strict)$/i,
    `Expected SameSite=Lax (or Strict) in: ${header}`,
  );
  assert.equal(cookie.attributes.path, '/', `Expected Path=/ in: ${header}`);
});

test("The same visitor's count goes 1, 2, 3", async () => {
  const server = await startServer();
  const client = createClient(server);
  const counts = [];
  for (let i = 0; i < 3; i += 1) counts.push((await visit(client)).visits);
  assert.deepEqual(
    counts,
    [1, 2, 3],
    `Expected three visits to count 1, 2, 3, got ${counts.join(', ')}`,
  );
});

test('Two visitors get independent counts', async () => {
  const server = await startServer();
  const alice = createClient(server);
  const bob = createClient(server);
  await visit(alice);
  await visit(alice);
  const bobFirst = (await visit(bob)).visits;
  const aliceThird = (await visit(alice)).visits;
  const cookies = `(Alice's cookie: ${alice.cookies.has('sid') ? `sid=${alice.cookies.get('sid')}` : 'none'}; Bob's: ${bob.cookies.has('sid') ? `sid=${bob.cookies.get('sid')}` : 'none'})`;
  assert.equal(
    bobFirst,
    1,
    `Alice visited twice, then Bob visited for the first time. Expected Bob to see 1, got ${bobFirst} ${cookies}`,
  );
  assert.equal(
    aliceThird,
    3,
    `Expected Alice's third visit to count 3 after Bob's visit, got ${aliceThird} ${cookies}`,
  );
});

/**
 * How many character positions vary across a set of ids. A counter, a clock or an encoding of
 * either changes in a few places only; 122 random bits change in about 30 of a UUID's 36.
 */
function varyingPositions(ids) {
  const length = Math.max(...ids.map((id) => id.length));
  let varying = 0;
  for (let i = 0; i < length; i += 1) {
    if (new Set(ids.map((id) => id[i] ?? '')).size > 1) varying += 1;
  }
  return varying;
}

test('Session ids are random, not a counter or a clock', async () => {
  const server = await startServer();
  const ids = [];
  for (let i = 0; i < 20; i += 1) {
    const { res } = await visit(createClient(server));
    ids.push(sessionCookie(res, 'a first visit').value);
  }
  const shown = `${ids.slice(0, 4).join(', ')}, …`;
  assert.equal(
    new Set(ids).size,
    ids.length,
    `Expected 20 new visitors to get 20 different ids, got ${shown}`,
  );
  const varying = varyingPositions(ids);
  assert.ok(
    varying >= 16,
    `Expected ids nobody can guess. 20 new visitors got ids that differ in only ${varying} character position(s): ${shown} Ids like these are unique, but whoever sees one can work out the next.`,
  );
});

test('An unknown session id starts a fresh session instead of failing', async () => {
  const server = await startServer();
  const client = createClient(server);
  await visit(createClient(server)); // someone else's visit, so a shared counter shows up
  const madeUp = 'not-a-session-this-server-issued';
  client.setCookie('sid', madeUp);
  const { res, visits } = await visit(client);
  assert.equal(visits, 1, `Expected a visitor with an unknown sid to start at 1, got ${visits}`);
  const cookie = sessionCookie(res, 'a visit with an unknown sid');
  assert.notEqual(
    cookie.value,
    madeUp,
    'Expected a NEW id in Set-Cookie, but the server kept the id the client made up',
  );
});
