import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, fail, startCluster, summarize } from '../_kit/check-helpers.mjs';
import { createAtomicStore, createAtomicStoreServer } from '../_kit/atomic-store.mjs';
import { measure } from '../_kit/measure.mjs';

// Three round-robin instances share one store, which runs inside this check process so the checks
// can read stock and charges directly. Payment takes PAYMENT_MS, longer than an impatient client waits.
const PAYMENT_MS = 1000;
const CLIENT_PATIENCE_MS = 250;
const PRICES = { lamp: 4500, mug: 1200 };

let cluster;
let store;
let storeServer;

// A race that depends on luck is no test: while a gate is open, the store holds every read of its
// key until `racers` reads have arrived (or a deadline passes), so servers that read and then write
// all read the same old value, the way they would under real traffic.
let gate = null;
function holdReadsOf(key, racers) {
  const waiting = [];
  const release = () => {
    gate = null;
    clearTimeout(timer);
    for (const resolve of waiting.splice(0)) resolve();
  };
  const timer = setTimeout(release, 2000);
  gate = (op, readKey) => {
    if (op !== 'GET' || readKey !== key) return undefined;
    const held = new Promise((resolve) => waiting.push(resolve));
    if (waiting.length >= racers) release();
    return held;
  };
  return release;
}

before(async () => {
  storeServer = createAtomicStoreServer({ gate: (op, key) => gate?.(op, key) });
  await new Promise((resolve) => storeServer.listen(0, '127.0.0.1', resolve));
  const storeUrl = `http://127.0.0.1:${storeServer.address().port}`;
  store = createAtomicStore(storeUrl);
  cluster = await startCluster({
    instances: 3,
    strategy: 'round-robin',
    env: { STORE_URL: storeUrl, PAYMENT_MS: String(PAYMENT_MS) },
    readyTimeoutMs: 20000,
  });
});
after(async () => {
  await cluster?.stop();
  storeServer?.closeAllConnections();
  await new Promise((resolve) => storeServer?.close(resolve));
});

const unique = (what) => `${what}-${Math.random().toString(36).slice(2, 10)}`;
const is2xx = (status) => status >= 200 && status < 300;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST /orders once; a client timeout comes back as { status: 0 }. */
async function order(body, key, timeoutMs = 8000) {
  const headers = key === undefined ? {} : { 'idempotency-key': key };
  try {
    return await createClient(cluster).post('/orders', body, { headers, timeoutMs });
  } catch (error) {
    if (error.code === 'SVS_TIMEOUT') return { status: 0, text: '', headers: {} };
    throw error;
  }
}

/** Like an app on a bad network: give up quickly, then retry the same key until it gets an answer. */
async function orderWithRetries(body, key) {
  let res = await order(body, key, CLIENT_PATIENCE_MS);
  const deadline = Date.now() + 10000;
  while ((res.status === 0 || res.status === 409) && Date.now() < deadline) {
    await sleep(100);
    res = await order(body, key);
  }
  if (!is2xx(res.status))
    fail(
      `An order retried with one Idempotency-Key never succeeded; last answer ${res.status === 0 ? 'a timeout' : summarize(res)}`,
    );
  return res;
}

async function chargedTo(card) {
  return (await store.get(`charged:${card}`)) ?? 0;
}

/** After the last answer, a payment that was still running may land: wait for the store to settle. */
async function settle() {
  await sleep(PAYMENT_MS + 300);
}

test('A retried order with the same Idempotency-Key charges the card once', async () => {
  await store.set('stock:mug', 100);
  const card = unique('card');
  await orderWithRetries({ sku: 'mug', qty: 1, card }, unique('key'));
  await settle();
  const charged = await chargedTo(card);
  measure('charges-per-retried-order', charged / PRICES.mug, 'charges');
  assert.equal(
    charged,
    PRICES.mug,
    `The client gave up after ${CLIENT_PATIENCE_MS} ms and retried the same order with the same Idempotency-Key through the next instance. The card was charged ${charged} cents; one mug costs ${PRICES.mug}.`,
  );
});

test('A repeat of a finished order returns the identical response', async () => {
  await store.set('stock:mug', 100);
  const body = { sku: 'mug', qty: 2, card: unique('card') };
  const key = unique('key');
  const first = await orderWithRetries(body, key);
  const repeat = await order(body, key);
  assert.equal(
    repeat.status,
    first.status,
    `The repeat got status ${repeat.status}; the first answer was ${first.status}.`,
  );
  assert.equal(
    repeat.text,
    first.text,
    `The same order sent again with the same key (through another instance) answered ${summarize(repeat)}; the first answer was ${summarize(first)}. A repeat must get the stored answer, same order id.`,
  );
});

test('The same key with a different order gets 422', async () => {
  await store.set('stock:mug', 100);
  const card = unique('card');
  const key = unique('key');
  await orderWithRetries({ sku: 'mug', qty: 1, card }, key);
  const changed = await order({ sku: 'mug', qty: 3, card }, key);
  assert.equal(
    changed.status,
    422,
    `After an order for 1 mug, the same Idempotency-Key was sent with an order for 3. Expected 422 Unprocessable Content, got ${summarize(changed)}.`,
  );
});

test('Five copies of one order sent at the same moment place it once', async () => {
  await store.set('stock:mug', 100);
  const body = { sku: 'mug', qty: 1, card: unique('card') };
  const key = unique('key');
  const release = holdReadsOf(`idem:${key}`, 2);
  const answers = await Promise.all(Array.from({ length: 5 }, () => order(body, key)));
  release();
  await settle();
  const charged = await chargedTo(body.card);
  assert.equal(
    charged,
    PRICES.mug,
    `Five identical requests with one Idempotency-Key arrived together (statuses ${answers.map((a) => a.status).join(', ')}). The card was charged ${charged} cents, expected ${PRICES.mug}. Claim the key with setIfAbsent before doing any work.`,
  );
  const odd = answers.filter((a) => !is2xx(a.status) && a.status !== 409);
  assert.equal(
    odd.length,
    0,
    `Duplicates in flight should get 409 (or the first answer); one got ${odd[0] && summarize(odd[0])}.`,
  );
});

test('10 buyers racing for 5 lamps: exactly 5 succeed', async () => {
  await store.set('stock:lamp', 5);
  const buyers = Array.from({ length: 10 }, () => ({ sku: 'lamp', qty: 1, card: unique('card') }));
  const release = holdReadsOf('stock:lamp', 10);
  const answers = await Promise.all(buyers.map((body) => order(body, unique('key'))));
  release();
  await settle();
  const sold = answers.filter((a) => is2xx(a.status)).length;
  const left = await store.get('stock:lamp');
  measure('lamps-sold-of-5', sold, 'orders');
  assert.equal(
    sold,
    5,
    `10 buyers ordered one lamp each at the same moment with 5 in stock: ${sold} orders succeeded, and the store now says ${left} left. Reading the stock and writing it back later lets every buyer see the same number; take it in one atomic step (incrBy).`,
  );
  assert.equal(left, 0, `After selling 5 lamps the stock should be 0, not ${left}.`);
  const refused = answers.filter((a) => !is2xx(a.status));
  for (const answer of refused) {
    assert.equal(
      answer.status,
      409,
      `A buyer who missed out should get 409, got ${summarize(answer)}`,
    );
  }
});
