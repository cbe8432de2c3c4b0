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

const servedBy = (res) => res.headers['x-served-by'] ?? 'an instance';

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
  return { res, body };
}

function linkOf(body, where) {
  assert.ok(
    typeof body.link === 'string' && body.link.startsWith('/quote/'),
    `The quote from ${where} should carry a "link" like "/quote/…" to open it again, got ${JSON.stringify(body.link)}`,
  );
  return body.link;
}

async function expectError(client, body, status, what) {
  const res = await client.post('/quote', body, {
    headers: { 'content-type': 'application/json' },
  });
  assert.ok(
    status.includes(res.status),
    `POST /quote with ${what} should answer ${status.join(' or ')}, got ${summarize(res)}`,
  );
  let error;
  try {
    error = JSON.parse(res.text).error;
  } catch {
    // reported just below
  }
  assert.ok(
    typeof error === 'string' && error.length > 0,
    `The ${res.status} for ${what} should be JSON like {"error": "…"}, got ${summarize(res)}`,
  );
  return res;
}

test('POST /quote prices the order in its body', async () => {
  const server = await startServer();
  const { body } = await quote(createClient(server), ORDER, 'your server');
  assert.equal(
    body.total,
    2520,
    `Expected a total of 2520 cents for 2 × mug-blue + 1 × filters with WELCOME10, got ${body.total}`,
  );
  linkOf(body, 'your server');
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
    ['a qty of 100', { items: [{ sku: 'kettle', qty: 100 }] }],
    ['a qty that is a string', { items: [{ sku: 'kettle', qty: '2' }] }],
    ['an item without sku', { items: [{ qty: 1 }] }],
    [
      'two lines of 60 kettles (120 of one product)',
      {
        items: [
          { sku: 'kettle', qty: 60 },
          { sku: 'kettle', qty: 60 },
        ],
      },
    ],
  ];
  for (const [what, body] of malformed) await expectError(client, body, [400], what);
});

test('An unknown sku or coupon is refused with a message that names it', async () => {
  const server = await startServer();
  const client = createClient(server);
  const cases = [
    ['mug-gold', { items: [{ sku: 'mug-gold', qty: 1 }] }],
    ['FREEBIE', { items: [{ sku: 'kettle', qty: 1 }], coupon: 'FREEBIE' }],
  ];
  for (const [name, body] of cases) {
    const res = await expectError(client, body, [400, 422], `"${name}"`);
    assert.ok(
      res.text.includes(name),
      `The error for ${JSON.stringify(body)} should mention "${name}", got ${summarize(res)}`,
    );
  }
});

test('Prices come from the catalog, not from the request', async () => {
  const server = await startServer();
  const order = {
    items: [{ sku: 'kettle', qty: 1, unitPrice: 1, price: 1, lineTotal: 1 }],
    subtotal: 1,
    discount: 0,
    total: 1,
  };
  const { body } = await quote(createClient(server), order, 'your server');
  assert.equal(
    body.total,
    4500,
    `A request that claims a kettle costs 1 cent should still be priced from the catalog at 4500, got a total of ${body.total}`,
  );
});

test('A quote link opens on every instance', async () => {
  const cluster = await startCluster({ instances: 3 });
  const { res, body } = await quote(createClient(cluster.url), ORDER, 'the balancer');
  const link = linkOf(body, 'the balancer');
  const made = `POST /quote was answered by ${servedBy(res)} with the link ${link}.`;
  for (const instance of cluster.instances) {
    const opened = await createClient(instance.url).get(link);
    assert.equal(
      opened.status,
      200,
      `${made} Opening that link on instance-${instance.n} answered ${summarize(opened)}. Behind a balancer the next request may reach any instance.`,
    );
    assert.equal(
      opened.json().total,
      body.total,
      `${made} Opening it on instance-${instance.n} gave a total of ${opened.json().total}, not ${body.total}.`,
    );
  }
});

test('A quote depends only on the request that asks for it', async () => {
  const cluster = await startCluster({ instances: 3 });
  const anaOrder = { items: [{ sku: 'kettle', qty: 1 }], coupon: 'WELCOME10' }; // 4050
  const benOrder = { items: [{ sku: 'tea-sencha', qty: 3 }] }; // 2550
  // Two clients take turns on each instance, as they would behind any balancer.
  for (const instance of cluster.instances) {
    const where = `instance-${instance.n}`;
    const ana = createClient(instance.url);
    const ben = createClient(instance.url);
    const a = await quote(ana, anaOrder, where);
    assert.equal(
      a.body.total,
      4050,
      `A client asking ${where} about 1 kettle with WELCOME10 should get 4050, got ${a.body.total}`,
    );
    const b = await quote(ben, benOrder, where);
    assert.equal(
      b.body.total,
      2550,
      `Right after a WELCOME10 order, another client asked ${where} about 3 × tea-sencha without a coupon and got ${b.body.total}, not 2550`,
    );
    const empty = await ben.post('/quote', {});
    assert.equal(
      empty.status,
      400,
      `Right after other orders, POST /quote with an empty body to ${where} should answer 400, got ${summarize(empty)}`,
    );
  }
});

test('Every instance gives the same answer to the same request', async () => {
  const cluster = await startCluster({ instances: 3 });
  const answers = [];
  for (const instance of cluster.instances) {
    for (let time = 1; time <= 2; time += 1) {
      const { body } = await quote(createClient(instance.url), ORDER, `instance-${instance.n}`);
      answers.push({ who: `instance-${instance.n} (request ${time})`, body });
    }
  }
  const [first] = answers;
  for (const other of answers.slice(1)) {
    const keys = [...new Set([...Object.keys(first.body), ...Object.keys(other.body)])];
    const differ = keys.filter(
      (key) => JSON.stringify(first.body[key]) !== JSON.stringify(other.body[key]),
    );
    assert.equal(
      differ.length,
      0,
      `The same POST /quote got different answers: ${differ
        .map(
          (key) =>
            `"${key}" was ${JSON.stringify(first.body[key])} from ${first.who} but ${JSON.stringify(other.body[key])} from ${other.who}`,
        )
        .join('; ')}`,
    );
  }
});
