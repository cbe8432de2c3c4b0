import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startCluster, createClient, summarize } from '../_kit/check-helpers.mjs';

// Two mugs (2 × 1200) and filters (400) = 2800 cents; WELCOME10 takes 10 % off: 2520.
const ORDER = {
  items: [
    { sku: 'mug-blue', qty: 2 },
    { sku: 'filters', qty: 1 },
  ],
  coupon: 'WELCOME10',
};

// Sends a quote request and returns its JSON, failing readably unless it is a 200 with a total.
async function quote(client, order, where) {
  const res = await client.post('/quote', order);
  assert.equal(res.status, 200, `POST /quote to ${where} should answer 200, got ${summarize(res)}`);
  const body = res.json();
  assert.equal(
    typeof body.total,
    'number',
    `The quote from ${where} should have a numeric "total", got ${summarize(res)}`,
  );
  return body;
}

test('Every instance gives the same quote for the same request', async () => {
  const cluster = await startCluster({ instances: 3 });
  const answers = [];
  for (const instance of cluster.instances) {
    answers.push(await quote(createClient(instance.url), ORDER, `instance ${instance.n}`));
  }
  assert.equal(
    answers[0].total,
    2520,
    `Expected a total of 2520 cents for 2 × mug-blue + 1 × filters with WELCOME10, got ${answers[0].total}`,
  );
  for (let i = 1; i < answers.length; i += 1) {
    assert.deepEqual(
      answers[i],
      answers[0],
      `Instance ${i + 1} answered ${JSON.stringify(answers[i])}, but instance 1 answered ${JSON.stringify(answers[0])}`,
    );
  }
});

test('A quote depends only on the request that asks for it', async () => {
  const cluster = await startCluster({ instances: 3 });
  const ana = createClient(cluster.url);
  const ben = createClient(cluster.url);
  const anaOrder = { items: [{ sku: 'kettle', qty: 1 }] }; // 4500
  const benOrder = { items: [{ sku: 'tea-sencha', qty: 3 }] }; // 2550
  // Interleaved through the round-robin balancer, so each client meets every instance.
  for (let round = 1; round <= 3; round += 1) {
    const a = await quote(ana, anaOrder, 'the balancer');
    assert.equal(
      a.total,
      4500,
      `Round ${round}: a client asking about 1 kettle should get 4500, got ${a.total}`,
    );
    const b = await quote(ben, benOrder, 'the balancer');
    assert.equal(
      b.total,
      2550,
      `Round ${round}: a client asking about 3 × tea-sencha should get 2550, got ${b.total}`,
    );
  }
});

test('Malformed input gets 400 with an error message', async () => {
  const server = await startServer();
  const client = createClient(server);
  const malformed = [
    ['a body that is not JSON', '{"items": ['],
    ['an empty object', {}],
    ['an empty items list', { items: [] }],
    ['items that are not a list', { items: 'mug-blue' }],
    ['an item without qty', { items: [{ sku: 'kettle' }] }],
    ['a qty of 0', { items: [{ sku: 'kettle', qty: 0 }] }],
    ['a qty that is a string', { items: [{ sku: 'kettle', qty: '2' }] }],
    ['an item without sku', { items: [{ qty: 1 }] }],
  ];
  for (const [what, body] of malformed) {
    const res = await client.post('/quote', body, {
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(
      res.status,
      400,
      `POST /quote with ${what} should answer 400, got ${summarize(res)}`,
    );
    let error;
    try {
      error = JSON.parse(res.text).error;
    } catch {
      // reported just below
    }
    assert.ok(
      typeof error === 'string' && error.length > 0,
      `The 400 for ${what} should be JSON like {"error": "…"}, got ${summarize(res)}`,
    );
  }
});

test('An unknown sku or coupon is refused with a message that names it', async () => {
  const server = await startServer();
  const client = createClient(server);
  const cases = [
    ['mug-gold', { items: [{ sku: 'mug-gold', qty: 1 }] }],
    ['FREEBIE', { items: [{ sku: 'kettle', qty: 1 }], coupon: 'FREEBIE' }],
  ];
  for (const [name, body] of cases) {
    const res = await client.post('/quote', body);
    assert.ok(
      res.status === 400 || res.status === 422,
      `POST /quote ${JSON.stringify(body)} should answer 400 or 422, got ${summarize(res)}`,
    );
    assert.ok(
      res.text.includes(name),
      `The error for ${JSON.stringify(body)} should mention "${name}", got ${summarize(res)}`,
    );
  }
});
