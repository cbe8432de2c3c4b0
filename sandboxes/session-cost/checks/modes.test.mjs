import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startStore, createClient, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';
import { startStoreProxy } from './store-proxy.mjs';

const MODES = ['memory', 'store', 'jwt'];
const TOKEN_BUDGET = 400; // bytes of the jwt cookie value

let server;
let proxy;
const clients = {};

before(async () => {
  const store = await startStore();
  proxy = await startStoreProxy(store.url);
  server = await startServer({ env: { STORE_URL: proxy.url } });
  for (const mode of MODES) {
    clients[mode] = createClient(server);
    const res = await clients[mode].post(`/${mode}/login`, { user: 'ana' });
    assert.equal(res.status, 200, `POST /${mode}/login should answer 200, got ${summarize(res)}`);
  }
});

/** Store calls made while `send` runs. */
async function storeCallsDuring(send) {
  const before = proxy.calls;
  await send();
  return proxy.calls - before;
}

test('GET /me gives the same body in all three modes', async () => {
  const bodies = {};
  for (const mode of MODES) {
    const res = await clients[mode].get(`/${mode}/me`);
    assert.equal(
      res.status,
      200,
      `GET /${mode}/me after logging in should answer 200, got ${summarize(res)}`,
    );
    bodies[mode] = res.json();
  }
  assert.deepEqual(
    bodies.memory,
    { user: 'ana', name: 'Ana Lima', plan: 'pro' },
    `memory mode answered ${JSON.stringify(bodies.memory)}`,
  );
  for (const mode of ['store', 'jwt']) {
    assert.deepEqual(
      bodies[mode],
      bodies.memory,
      `${mode} mode answered ${JSON.stringify(bodies[mode])}, memory mode ${JSON.stringify(bodies.memory)}`,
    );
  }
  // A second user, logged in after Ana, must not change who Ana is.
  for (const mode of MODES) {
    const ben = createClient(server);
    await ben.post(`/${mode}/login`, { user: 'ben' });
    const benMe = await ben.get(`/${mode}/me`);
    assert.equal(
      benMe.status === 200 && benMe.json().user,
      'ben',
      `Ben logged in (${mode} mode) and got ${summarize(benMe)}`,
    );
    const anaMe = await clients[mode].get(`/${mode}/me`);
    assert.equal(
      anaMe.status === 200 && anaMe.json().user,
      'ana',
      `After Ben logged in, Ana's GET /${mode}/me answered ${summarize(anaMe)}`,
    );
  }
});

test('Every /me answer has a Server-Timing header with a duration', async () => {
  for (const mode of MODES) {
    const res = await clients[mode].get(`/${mode}/me`);
    const timing = res.headers['server-timing'];
    assert.ok(
      typeof timing === 'string' && /(^|[;,\s])dur=\d+(\.\d+)?/.test(timing),
      `GET /${mode}/me should carry Server-Timing with dur=<ms>, got ${timing === undefined ? 'no such header' : `"${timing}"`}`,
    );
  }
});

test('In store mode, every GET /me reads the store exactly once', async () => {
  const counts = [];
  for (let i = 0; i < 10; i += 1)
    counts.push(await storeCallsDuring(() => clients.store.get('/store/me')));
  assert.ok(
    counts.every((n) => n === 1),
    `Store calls per GET /store/me, 10 requests in a row: ${counts.join(', ')}. Each request must read the session from the store, not from a copy this process kept.`,
  );
});

test('In jwt mode, GET /me makes no store call', async () => {
  const calls = await storeCallsDuring(async () => {
    for (let i = 0; i < 10; i += 1) {
      const res = await clients.jwt.get('/jwt/me');
      assert.equal(res.status, 200, `GET /jwt/me should answer 200, got ${summarize(res)}`);
    }
  });
  assert.equal(
    calls,
    0,
    `10 requests to GET /jwt/me made ${calls} store call(s); the token should carry what /me needs.`,
  );
});

test('The jwt stays under the byte budget, and an edited one gets 401', async () => {
  const [name, token] = [...clients.jwt.cookies].find(
    ([, value]) => value.split('.').length === 3,
  ) ?? ['jwt', ''];
  assert.ok(
    token.split('.').length === 3,
    `After POST /jwt/login the jwt cookie should hold a token, got "${token}"`,
  );
  measure('jwt-bytes', token.length, 'bytes');
  assert.ok(
    token.length <= TOKEN_BUDGET,
    `The token is ${token.length} bytes; keep it under ${TOKEN_BUDGET}.`,
  );
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const forged = Buffer.from(JSON.stringify({ ...claims, plan: 'enterprise' })).toString(
    'base64url',
  );
  const attacker = createClient(server);
  attacker.setCookie(name, `${header}.${forged}.${signature}`);
  const res = await attacker.get('/jwt/me');
  assert.equal(
    res.status,
    401,
    `A token whose payload was edited (plan: enterprise) should get 401, got ${summarize(res)}`,
  );
});

test('Each mode is timed, with and without 5 ms of store latency (recorded, never graded on speed)', async () => {
  const median = async (mode, n = 40) => {
    const times = [];
    for (let i = 0; i < n; i += 1) {
      const started = process.hrtime.bigint();
      const res = await clients[mode].get(`/${mode}/me`);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      assert.equal(
        res.status,
        200,
        `GET /${mode}/me should answer 200 while timed, got ${summarize(res)}`,
      );
    }
    times.sort((a, b) => a - b);
    return Number(times[Math.floor(n / 2)].toFixed(2));
  };
  for (const mode of MODES) measure(`p50-${mode}`, await median(mode), 'ms');
  proxy.setDelay(5);
  measure('p50-store-5ms', await median('store', 20), 'ms');
  measure('p50-jwt-5ms', await median('jwt', 20), 'ms');
  proxy.setDelay(0);
});
