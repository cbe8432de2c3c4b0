import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, createClient, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

test('A rolling restart of all 3 instances drops no request and no cart', async () => {
  const cluster = await startCluster({ instances: 3, store: true, env: { DRAIN_DELAY_MS: '200' } });
  const shoppers = [];
  for (let i = 1; i <= 4; i += 1) {
    const client = createClient(cluster.url);
    const res = await client.post('/cart/items', { sku: 'mug-blue', qty: i });
    assert.equal(res.status, 200, `POST /cart/items should answer 200, got ${summarize(res)}`);
    shoppers.push({ client, qty: i });
  }
  let running = true;
  let sent = 0;
  const problems = [];
  const lostCarts = new Set();
  const worker = async (shopper, n) => {
    while (running) {
      for (const path of ['/cart', '/checkout?ms=150']) {
        sent += 1;
        let res;
        try {
          res = await shopper.client.get(path);
        } catch (error) {
          problems.push(`shopper ${n} GET ${path}: ${error.message.split('\n')[0]}`);
          continue;
        }
        if (res.status !== 200)
          problems.push(
            `shopper ${n} GET ${path}: ${summarize(res)} from ${res.headers['x-served-by'] ?? 'the balancer'}`,
          );
        else if (path === '/cart' && res.json().cart?.[0]?.qty !== shopper.qty) lostCarts.add(n);
      }
    }
  };
  const load = shoppers.map((shopper, i) => worker(shopper, i + 1));
  for (const n of [1, 2, 3]) await cluster.restart(n);
  running = false;
  await Promise.all(load);
  measure('errors-during-rolling-restart', problems.length, 'requests');
  measure('carts-lost-in-rolling-restart', lostCarts.size, 'carts');
  assert.equal(
    problems.length,
    0,
    `${problems.length} of ${sent} requests failed while instances 1, 2 and 3 restarted one by one, e.g.:\n${problems.slice(0, 3).join('\n')}`,
  );
  assert.equal(
    lostCarts.size,
    0,
    `${lostCarts.size} of 4 shoppers saw their cart change or vanish during the rolling restart.`,
  );
});
