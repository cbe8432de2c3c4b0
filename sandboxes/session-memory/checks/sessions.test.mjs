import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, createClient, summarize, sleep } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

const stats = async (server) => {
  const res = await createClient(server).get('/stats');
  assert.equal(res.status, 200, `GET /stats should answer 200, got ${summarize(res)}`);
  return res.json();
};

/** Sends `count` requests with no cookie, `parallel` at a time, over kept-alive connections. */
async function flood(server, count, method, path, body) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  let sent = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const payload = body ? JSON.stringify(body(sent)) : undefined;
      const req = http.request(`${server.url}${path}`, { method, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(payload);
    });
  const lane = async () => {
    while (sent < count) {
      sent += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: 10 }, lane));
  agent.destroy();
}

/** Polls `read` until `done(value)` or the deadline; returns the last value either way. */
async function pollUntil(read, done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(200);
    value = await read();
  }
  return value;
}

// Each check starts its own server and mostly waits for clocks, so they run side by side, two at a time.
describe('Session memory', { concurrency: 2 }, () => {
  test('Anonymous visitors who only browse get no session', async () => {
    const server = await startServer({ readyTimeoutMs: 15000 });
    const first = await createClient(server).get('/products');
    assert.equal(first.status, 200, `GET /products should answer 200, got ${summarize(first)}`);
    await flood(server, 1000, 'GET', '/products');
    const { sessions } = await stats(server);
    measure('sessions-after-1000-visits', sessions, 'sessions');
    assert.equal(
      first.setCookies.length,
      0,
      `GET /products without a cookie set ${first.setCookies.map((c) => c.name).join(', ')}: browsing needs no session`,
    );
    assert.equal(
      sessions,
      0,
      `After 1,000 anonymous GET /products, GET /stats counts ${sessions} sessions; expected 0.`,
    );
  });

  test('A session unused for SESSION_IDLE_SECONDS has expired, whoever else is active', async () => {
    const server = await startServer({ env: { SESSION_IDLE_SECONDS: '3' }, readyTimeoutMs: 15000 });
    const ana = createClient(server);
    const ben = createClient(server);
    for (const [name, client] of [
      ['ana', ana],
      ['ben', ben],
    ]) {
      const login = await client.post('/login', { user: name });
      assert.equal(login.status, 200, `POST /login should answer 200, got ${summarize(login)}`);
    }
    assert.equal((await ana.get('/me')).status, 200, 'GET /me right after login should answer 200');
    // Ana goes quiet; Ben keeps browsing. Wait until the server holds at most Ben's session, or 4 s.
    const started = Date.now();
    await pollUntil(
      async () => {
        await ben.get('/me');
        return stats(server);
      },
      (s) => s.sessions <= 1 && Date.now() - started > 3500,
      9000,
    );
    const res = await ana.get('/me');
    assert.equal(
      res.status,
      401,
      `With SESSION_IDLE_SECONDS=3, Ana's GET /me after ${((Date.now() - started) / 1000).toFixed(1)} s of silence should get 401 (Ben was active meanwhile), got ${summarize(res)}`,
    );
  });

  test('Activity keeps a session alive past the idle timeout', async () => {
    const server = await startServer({ env: { SESSION_IDLE_SECONDS: '3' }, readyTimeoutMs: 15000 });
    const client = createClient(server);
    await client.post('/login', { user: 'ana' });
    const started = Date.now();
    while (Date.now() - started < 7000) {
      const res = await client.get('/me');
      assert.equal(
        res.status,
        200,
        `With SESSION_IDLE_SECONDS=3 and a request every 0.5 s, GET /me at ${((Date.now() - started) / 1000).toFixed(1)} s got ${summarize(res)}`,
      );
      await sleep(500);
    }
  });

  test('A session ends at SESSION_MAX_SECONDS even while in use', async () => {
    const server = await startServer({
      env: { SESSION_IDLE_SECONDS: '3', SESSION_MAX_SECONDS: '5' },
      readyTimeoutMs: 15000,
    });
    const client = createClient(server);
    await client.post('/login', { user: 'ana' });
    const started = Date.now();
    const last = await pollUntil(
      async () => (await client.get('/me')).status,
      (status) => status === 401,
      10000,
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    assert.equal(
      last,
      401,
      `With SESSION_MAX_SECONDS=5 and a request every 0.2 s, the session was still valid after ${seconds} s`,
    );
    assert.ok(
      Date.now() - started >= 4500,
      `The session ended after ${seconds} s, before SESSION_MAX_SECONDS=5 was up`,
    );
  });

  test('2,000 expired sessions are freed from memory', async () => {
    const server = await startServer({ env: { SESSION_IDLE_SECONDS: '2' }, readyTimeoutMs: 15000 });
    const before = await stats(server);
    await flood(server, 2000, 'POST', '/login', () => ({ user: 'shopper' }));
    const held = await stats(server);
    measure(
      'bytes-per-session',
      Math.max(
        0,
        Math.round((held.heapUsedBytes - before.heapUsedBytes) / Math.max(1, held.sessions)),
      ),
      'bytes',
    );
    const after = await pollUntil(
      () => stats(server),
      (s) => s.sessions < 100,
      12000,
    );
    assert.ok(
      after.sessions < 100,
      `2,000 logins, then 12 s of silence with SESSION_IDLE_SECONDS=2, and GET /stats still counts ${after.sessions} sessions: expired sessions stay in memory until their owner returns.`,
    );
  });
});
