import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createClient, fail, startCluster, startStore, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';
import { createStore } from '../_kit/store-client.mjs';

const ACCESS_TTL = 2; // seconds: short, so the checks can watch tokens expire

// Three round-robin instances and the store they share. The checks read the store directly to
// see the denylist, the way an operator would.
let cluster;
let store;
before(async () => {
  const storeServer = await startStore();
  store = createStore(storeServer.url);
  cluster = await startCluster({
    instances: 3,
    strategy: 'round-robin',
    env: { STORE_URL: storeServer.url, ACCESS_TTL: String(ACCESS_TTL) },
    readyTimeoutMs: 20000,
  });
});

const client = () => createClient(cluster);
const bearer = (access) => ({ headers: { authorization: `Bearer ${access}` } });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function claimsOf(access) {
  try {
    return JSON.parse(Buffer.from(String(access).split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return fail(
      `Expected "access" to be a JWT (header.payload.signature), got ${JSON.stringify(access)}`,
    );
  }
}

async function login(user = 'alice', password = 'wonderland') {
  const res = await client().post('/login', { user, password });
  if (res.status !== 200) fail(`POST /login as ${user}: expected 200, got ${summarize(res)}`);
  const pair = res.json();
  if (typeof pair.access !== 'string' || typeof pair.refresh !== 'string') {
    fail(`POST /login should answer {"access": "…", "refresh": "…"}, got ${summarize(res)}`);
  }
  return pair;
}

const refresh = (token) => client().post('/refresh', { refresh: token });
const me = (access) => client().get('/me', bearer(access));

async function expectRefreshOk(token, what) {
  const res = await refresh(token);
  if (res.status !== 200) fail(`${what}: expected 200 with a new pair, got ${summarize(res)}`);
  return res.json();
}

/** Waits until `probe()` is true, polling; fails with `message()` after the deadline. */
async function eventually(probe, message, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(200);
  }
  fail(message());
}

test('An access token works until ACCESS_TTL has passed, then gets 401', async () => {
  const { access } = await login();
  const claims = claimsOf(access);
  assert.equal(
    claims.exp - claims.iat,
    ACCESS_TTL,
    `With ACCESS_TTL=${ACCESS_TTL}, expected exp - iat = ${ACCESS_TTL} seconds; the token says iat ${claims.iat}, exp ${claims.exp}.`,
  );
  assert.equal((await me(access)).status, 200, 'A fresh access token should open GET /me');
  let last;
  await eventually(
    async () => (last = await me(access)).status === 401,
    () =>
      `The access token should be refused once exp has passed; ${ACCESS_TTL + 3} s after login GET /me still answered ${summarize(last)}.`,
    (ACCESS_TTL + 3) * 1000,
  );
});

test('Refresh returns a new access token and a new refresh token', async () => {
  const first = await login();
  const second = await expectRefreshOk(first.refresh, 'POST /refresh with the login refresh token');
  assert.ok(
    typeof second.access === 'string' && typeof second.refresh === 'string',
    `Expected {"access": "…", "refresh": "…"} from /refresh, got ${JSON.stringify(second)}`,
  );
  assert.notEqual(
    second.refresh,
    first.refresh,
    'Refresh must hand out a NEW refresh token (rotation).',
  );
  assert.equal(
    (await me(second.access)).status,
    200,
    'The refreshed access token should open GET /me',
  );
});

test('A refresh token works only once', async () => {
  const { refresh: token } = await login();
  await expectRefreshOk(token, 'The first POST /refresh');
  const again = await refresh(token);
  assert.equal(
    again.status,
    401,
    `The same refresh token was sent to /refresh a second time and got ${summarize(again)}; expected 401.`,
  );
});

test('Reusing a refresh token revokes its whole family, and only that family', async () => {
  const stolen = await login();
  const bystander = await login('bob', 'builder');
  const rotated = await expectRefreshOk(stolen.refresh, 'The user refreshes');
  const replay = await refresh(stolen.refresh); // the thief's copy of the old token
  assert.equal(
    replay.status,
    401,
    `Replaying an already used refresh token got ${summarize(replay)}; expected 401.`,
  );
  const after = await refresh(rotated.refresh);
  assert.equal(
    after.status,
    401,
    `After an old refresh token was replayed, the newest token of the same login still refreshed (${summarize(after)}). Reuse means a copy is out there: revoke every token of that login.`,
  );
  await expectRefreshOk(bystander.refresh, "Bob's refresh (another login, untouched by the theft)");
});

test('After logout, the access token is refused by every instance', async () => {
  const { access, refresh: token } = await login();
  const out = await client().post('/logout', { refresh: token }, bearer(access));
  if (out.status !== 200 && out.status !== 204)
    fail(`POST /logout: expected 200 or 204, got ${summarize(out)}`);
  // Ask all three instances first, so the learner's number counts every one that still lets it in.
  const answers = [];
  for (let i = 0; i < 3; i += 1) answers.push(await me(access));
  measure(
    'instances-accepting-logged-out-token',
    answers.filter((r) => r.status === 200).length,
    'instances',
  );
  for (const res of answers) {
    assert.equal(
      res.status,
      401,
      `After logout, GET /me with the same access token reached ${res.headers['x-served-by'] ?? 'an instance'} and got ${summarize(res)}; expected 401 on every instance.`,
    );
  }
});

test('After logout, its refresh token no longer works', async () => {
  const { access, refresh: token } = await login();
  await client().post('/logout', { refresh: token }, bearer(access));
  const res = await refresh(token);
  assert.equal(
    res.status,
    401,
    `After logout, POST /refresh with its refresh token got ${summarize(res)}; expected 401.`,
  );
});

test('A denylist entry lasts exactly as long as its token', async () => {
  const { access, refresh: token } = await login();
  const { jti, exp } = claimsOf(access);
  if (!(exp * 1000 - Date.now() <= (ACCESS_TTL + 1) * 1000)) {
    fail(
      `With ACCESS_TTL=${ACCESS_TTL}, the token should expire within ${ACCESS_TTL} s, but its exp is ${exp}. Finish the first step first.`,
    );
  }
  await client().post('/logout', { refresh: token }, bearer(access));
  const key = `deny:${jti}`;
  if ((await store.get(key)) === null) {
    fail(
      `After logout the store has no key "${key}". Put the token's jti on the denylist in the store.`,
    );
  }
  // Until exp the token must stay refused (an entry that expires too early lets it back in).
  while (Date.now() / 1000 < exp - 0.2) {
    const res = await me(access);
    if (res.status !== 401)
      fail(
        `The logged-out token was accepted again before its exp: ${summarize(res)}. The denylist entry must live until the token expires.`,
      );
    await sleep(200);
  }
  await eventually(
    async () => (await store.get(key)) === null,
    () =>
      `The token expired at ${new Date(exp * 1000).toISOString()}, but "${key}" was still in the store 3 s later. Give it a TTL of the token's remaining lifetime so the denylist cannot grow forever.`,
    3000 + Math.max(0, exp * 1000 - Date.now()),
  );
});
