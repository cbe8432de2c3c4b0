import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createClient, fail, startCluster, summarize } from '../_kit/check-helpers.mjs';
import { createAtomicStore, createAtomicStoreServer } from '../_kit/atomic-store.mjs';
import { measure } from '../_kit/measure.mjs';

// A scripted shopper against three round-robin instances and a store that runs inside this check
// process, so the checks can stop it, start it again with its data, and read stock and charges.
// Every check first brings all instances back up, so a server that crashed in one step costs only
// that step; and every check has its own time limit. The file stays whole (a little over 300 lines)
// because every check drives the one scripted shopper defined here.
const PAYMENT_MS = 800;
const LIMIT = { timeout: 10000 };
const RETRY_WINDOW_MS = 3000;

let cluster;
let store;
let storeServer;
let storePort;
before(async () => {
  storeServer = createAtomicStoreServer();
  await new Promise((resolve) => storeServer.listen(0, '127.0.0.1', resolve));
  storePort = storeServer.address().port;
  store = createAtomicStore(`http://127.0.0.1:${storePort}`);
  await store.set('stock:mug', 1000);
  cluster = await startCluster({
    instances: 3,
    strategy: 'round-robin',
    env: { STORE_URL: `http://127.0.0.1:${storePort}`, PAYMENT_MS: String(PAYMENT_MS) },
    readyTimeoutMs: 20000,
  });
});
after(async () => {
  await cluster?.stop();
  storeServer?.closeAllConnections();
  await new Promise((resolve) => (storeServer?.listening ? storeServer.close(resolve) : resolve()));
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (what) => `${what}${Math.random().toString(36).slice(2, 10)}`;
const is2xx = (status) => status >= 200 && status < 300;

let stepStartedAt = 0; // index into the balancer's events where the current check began

async function ensureAllUp() {
  if (!cluster) fail('The shop did not start, so this step could not run.');
  for (const instance of cluster.instances) {
    if (instance.state !== 'up') await cluster.start(instance.n);
  }
  stepStartedAt = cluster.events().length;
}

/** Fails at once if an instance exited by itself during this check: no point retrying. */
function failIfCrashed(what) {
  const crash = cluster
    .events()
    .slice(stepStartedAt)
    .find((e) => e.type === 'instance' && e.state === 'down' && e.reason === 'exited');
  if (!crash) return;
  const lines = cluster
    .output()
    .split('\n')
    .filter((line) => line.startsWith(`[${crash.instance}] `) && !/^\[\d\]\s+at /.test(line))
    .slice(-5)
    .join('\n');
  fail(
    `${what}: instance ${crash.instance} of your server crashed (it exited by itself) during this step.${lines ? `\nIts last output:\n${lines}` : ''}`,
  );
}

/** A shopper who retries like a good client: timeouts, 502 and 503 are retried, with the same key. */
function shopper() {
  const client = createClient(cluster, { timeoutMs: 3000 });
  async function once(method, path, body, headers, timeoutMs) {
    try {
      return await client.request(method, path, { body, headers, timeoutMs });
    } catch (error) {
      if (error.code === 'SVS_TIMEOUT' || error.code === 'SVS_FAIL')
        return { status: 0, text: String(error.message), headers: {} };
      throw error;
    }
  }
  async function call(method, path, body, { key, patienceMs, retryOn = [0, 502, 503] } = {}) {
    const headers = key ? { 'idempotency-key': key } : {};
    let res = await once(method, path, body, headers, patienceMs);
    const deadline = Date.now() + RETRY_WINDOW_MS;
    while (retryOn.includes(res.status) && Date.now() < deadline) {
      failIfCrashed(`${method} ${path}`);
      await sleep(100);
      res = await once(method, path, body, headers);
    }
    if (!is2xx(res.status)) failIfCrashed(`${method} ${path}`);
    return res;
  }
  async function ok(method, path, body, options, what = `${method} ${path}`) {
    const res = await call(method, path, body, options);
    if (!is2xx(res.status)) {
      // A bare 401 after a login that worked sends learners hunting in their auth code.
      const lost =
        res.status === 401 && path !== '/login'
          ? ' The login worked, so this instance does not know the session another one made.'
          : '';
      fail(
        `${what}: expected a 2xx answer (retrying timeouts, 502 and 503 for 3 s), got ${res.status === 0 ? 'no answer' : summarize(res)} from ${res.headers['x-served-by'] ?? 'the balancer'}.${lost}`,
      );
    }
    return res;
  }
  return { call, ok, client };
}

async function loggedInShopper(user = unique('shopper').replace(/[0-9]/g, 'x')) {
  const s = shopper();
  await s.ok('POST', '/login', { user }, {}, `POST /login as ${user}`);
  return s;
}

const quantities = (res) => Object.fromEntries((res.json().items ?? []).map((i) => [i.sku, i.qty]));

test('DESIGN.md names where sessions, cart, orders and stock live', () => {
  let text;
  try {
    text = readFileSync(new URL('../DESIGN.md', import.meta.url), 'utf8');
  } catch {
    fail('DESIGN.md is missing. Write one line per piece of state, like "cart: store".');
  }
  const places = {};
  for (const line of text.split('\n')) {
    const match = /^\s*[-*]?\s*([a-z]+)\s*:\s*(.+)$/i.exec(line);
    if (match) places[match[1].toLowerCase()] = match[2].trim();
  }
  for (const piece of ['sessions', 'cart', 'orders', 'stock']) {
    const place = places[piece];
    if (!place || place.startsWith('?'))
      fail(
        `DESIGN.md does not say where "${piece}" lives yet. Add a line like "${piece}: store, because …".`,
      );
    if (/\b(instance|process)\b.*\bmemory\b|^memory\b/i.test(place)) {
      fail(
        `DESIGN.md says ${piece} live in "${place}". Three instances that can die at any moment need this state somewhere they all share.`,
      );
    }
  }
});

test(
  'Personal answers say private or no-store; the product list may be cached',
  LIMIT,
  async () => {
    await ensureAllUp();
    const s = await loggedInShopper();
    const products = await s.ok('GET', '/products');
    const publicRule = products.headers['cache-control'] ?? '';
    assert.match(
      publicRule,
      /public|s-maxage/i,
      `GET /products is the same for everyone, so a shared cache may keep it: expected Cache-Control with public or s-maxage, got "${publicRule}".`,
    );
    for (const path of ['/me', '/cart']) {
      const res = await s.ok('GET', path);
      const rule = res.headers['cache-control'] ?? '';
      assert.match(
        rule,
        /private|no-store/i,
        `GET ${path} is personal, so no shared cache may keep it: expected Cache-Control with private or no-store, got "${rule || 'no Cache-Control header'}".`,
      );
      assert.doesNotMatch(rule, /public|s-maxage/i, `GET ${path} is personal but says "${rule}".`);
    }
  },
);

test('The cart survives a killed instance and a rolling restart', LIMIT, async () => {
  await ensureAllUp();
  const s = await loggedInShopper();
  await s.ok('POST', '/cart/items', { sku: 'mug', qty: 1 }, { key: unique('k') }, 'Adding a mug');
  await cluster.kill(1);
  await s.ok(
    'POST',
    '/cart/items',
    { sku: 'mug', qty: 2 },
    { key: unique('k') },
    'Adding 2 mugs after instance 1 was killed',
  );
  await cluster.start(1);
  await cluster.restart(2);
  await s.ok(
    'POST',
    '/cart/items',
    { sku: 'lamp', qty: 1 },
    { key: unique('k') },
    'Adding a lamp after instance 2 restarted',
  );
  await cluster.restart(3);
  for (let i = 0; i < 3; i += 1) {
    const res = await s.ok(
      'GET',
      '/cart',
      undefined,
      {},
      `GET /cart (try ${i + 1}) after the rolling restart`,
    );
    assert.deepEqual(
      quantities(res),
      { mug: 3, lamp: 1 },
      `After killing instance 1 and restarting 2 and 3, ${res.headers['x-served-by']} showed the cart ${res.text}; expected 3 mugs and 1 lamp.`,
    );
  }
});

test('A checkout retried through other instances places one order', LIMIT, async () => {
  await ensureAllUp();
  const s = await loggedInShopper();
  await s.ok('POST', '/cart/items', { sku: 'mug', qty: 2 }, { key: unique('k') });
  const card = unique('card');
  const key = unique('order');
  // The shopper gives up before the payment finishes, then retries with the same key.
  const first = await s.ok(
    'POST',
    '/checkout',
    { card },
    { key, patienceMs: PAYMENT_MS / 2, retryOn: [0, 409, 502, 503] },
    'POST /checkout, retried',
  );
  const again = await s.ok(
    'POST',
    '/checkout',
    { card },
    { key },
    'The same checkout sent once more',
  );
  assert.equal(
    again.text,
    first.text,
    `Repeating a finished checkout with the same Idempotency-Key answered ${summarize(again)}; the first answer was ${summarize(first)}.`,
  );
  await sleep(PAYMENT_MS + 300);
  const charged = (await store.get(`charged:${card}`)) ?? 0;
  assert.equal(
    charged,
    2400,
    `One checkout of 2 mugs (24.00) was retried with one Idempotency-Key; the card was charged ${charged} cents.`,
  );
});

test('8 buyers racing for 3 lamps: exactly 3 orders', LIMIT, async () => {
  await ensureAllUp();
  await store.set('stock:lamp', 3);
  const buyers = [];
  for (let i = 0; i < 8; i += 1) {
    const s = await loggedInShopper();
    await s.ok('POST', '/cart/items', { sku: 'lamp', qty: 1 }, { key: unique('k') });
    buyers.push(s);
  }
  const answers = await Promise.all(
    buyers.map((s) =>
      s.call('POST', '/checkout', { card: unique('card') }, { key: unique('order') }),
    ),
  );
  const sold = answers.filter((a) => is2xx(a.status)).length;
  const left = await store.get('stock:lamp');
  measure('capstone-orders-for-3-lamps', sold, 'orders');
  assert.equal(
    sold,
    3,
    `8 buyers checked out one lamp each at the same moment with 3 in stock: ${sold} succeeded and the store says ${left} left.`,
  );
  assert.equal(left, 0, `After selling 3 of 3 lamps the stock should be 0, not ${left}.`);
});

test(
  'With the store stopped for 2 s, the shop answers 503 with Retry-After, then recovers',
  LIMIT,
  async () => {
    await ensureAllUp();
    const s = await loggedInShopper();
    await s.ok('POST', '/cart/items', { sku: 'mug', qty: 1 }, { key: unique('k') });
    const stoppedAt = Date.now();
    storeServer.closeAllConnections();
    await new Promise((resolve) => storeServer.close(resolve));
    try {
      for (let i = 0; i < 3; i += 1) {
        const res = await s.call('GET', '/cart', undefined, { retryOn: [] });
        if (res.status === 502)
          fail(
            `With the store stopped, GET /cart got 502 from the balancer: the instance crashed or closed the connection. Catch the store's error and answer 503 instead.`,
          );
        assert.equal(
          res.status,
          503,
          `With the store stopped, GET /cart (try ${i + 1}) answered ${res.status === 0 ? 'nothing' : summarize(res)}; expected 503.`,
        );
        assert.ok(
          res.headers['retry-after'],
          'The 503 should carry a Retry-After header, so clients know when to try again.',
        );
      }
    } finally {
      await sleep(Math.max(0, 2000 - (Date.now() - stoppedAt)));
      await new Promise((resolve) => storeServer.listen(storePort, '127.0.0.1', resolve));
    }
    const res = await s.ok('GET', '/cart', undefined, {}, 'GET /cart after the store came back');
    assert.deepEqual(
      quantities(res),
      { mug: 1 },
      `The store came back with its data, but the cart is ${res.text}.`,
    );
  },
);
