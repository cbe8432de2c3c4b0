import { describe, expect, it } from 'vitest';
import { runKitChecks } from './run-kit-checks.ts';

/**
 * Names its instance; /slow?ms=N answers after N ms; /health follows /sick and /heal. /pause stops
 * listening (connections are refused) until a file named resume-<instance> appears.
 */
const server = `
const fs = require('node:fs');
const http = require('node:http');
let healthy = true;
let listener;
const listen = () => {
  listener = http.createServer(handle).listen(Number(process.env.PORT), '127.0.0.1');
};
function handle(req, res) {
  const url = new URL(req.url, 'http://x');
  const answer = () => res.end(JSON.stringify({ instance: Number(process.env.INSTANCE) }));
  if (url.pathname === '/health') return res.writeHead(healthy ? 200 : 500).end();
  if (url.pathname === '/sick') healthy = false;
  if (url.pathname === '/heal') healthy = true;
  if (url.pathname === '/pause') {
    answer();
    listener.close();
    const poll = setInterval(() => {
      if (!fs.existsSync('resume-' + process.env.INSTANCE)) return;
      clearInterval(poll);
      listen();
    }, 50);
    return;
  }
  if (url.pathname === '/slow' || url.pathname === '/never') console.log('begin ' + url.pathname);
  if (url.pathname === '/slow') return setTimeout(answer, Number(url.searchParams.get('ms')));
  if (url.pathname === '/never') return;
  if (url.pathname === '/product') res.setHeader('cache-control', 'public, max-age=60');
  answer();
}
listen();`;

const checks = `
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { createClient, startCluster as start, waitFor } from '../_kit/check-helpers.mjs';
import { createRing } from '../_kit/hash-ring.mjs';

const startCluster = (options) => start({ readyTimeoutMs: 40000, ...options });
const begun = (cluster, path) =>
  waitFor(() => cluster.output().includes('begin ' + path), { timeout: 20000 });
const instanceOf = async (client, path) => (await client.get(path)).json().instance;

test('least-connections avoids the instance that is busy', async () => {
  const cluster = await startCluster({ instances: 3, strategy: 'least-connections' });
  const client = createClient(cluster.url, { timeoutMs: 20000 });
  const slow = client.get('/slow?ms=3000');
  await begun(cluster, '/slow');
  // The slow request is routed first (round-robin order starts at 1): instance 1 is now busy.
  const served = [];
  for (let i = 0; i < 4; i++) served.push(await instanceOf(client, '/'));
  const busy = (await slow).json().instance;
  assert.ok(!served.includes(busy), 'busy ' + busy + ' served ' + served);
  await cluster.stop();
});

test('hash keeps a key on one instance and moves only the leaving instance keys', async () => {
  const cluster = await startCluster({ instances: 3, strategy: 'hash', hashKey: 'query:user' });
  const client = createClient(cluster.url);
  const users = Array.from({ length: 24 }, (_, i) => 'user' + i);
  const before = {};
  for (const u of users) before[u] = await instanceOf(client, '/?user=' + u);
  for (const u of users) assert.equal(await instanceOf(client, '/?user=' + u), before[u]);
  const ring = createRing([1, 2, 3]);
  for (const u of users) assert.equal(before[u], ring.get(u));
  await cluster.kill(3);
  for (const u of users) {
    const now = await instanceOf(client, '/?user=' + u);
    if (before[u] !== 3) assert.equal(now, before[u], u + ' moved from ' + before[u]);
    else assert.notEqual(now, 3);
  }
  await cluster.stop();
});

test('health checks take a failing instance out and put it back when it recovers', async () => {
  const cluster = await startCluster({ instances: 2, health: { path: '/health', intervalMs: 100 } });
  const client = createClient(cluster.url);
  const sick = await instanceOf(client, '/sick');
  await cluster.waitForState(sick, 'unhealthy');
  for (let i = 0; i < 4; i++) assert.notEqual(await instanceOf(client, '/'), sick);
  await createClient(cluster.instances[sick - 1].url).get('/heal');
  await cluster.waitForState(sick, 'up');
  const after = [];
  for (let i = 0; i < 4; i++) after.push(await instanceOf(client, '/'));
  assert.ok(after.includes(sick), 'after recovery: ' + after);
  await cluster.stop();
});

test('health checks take out an instance that refuses connections and put it back when it listens again', async () => {
  const cluster = await startCluster({ instances: 2, health: { path: '/health', intervalMs: 100 } });
  const client = createClient(cluster.url);
  const paused = await instanceOf(client, '/pause');
  await cluster.waitForState(paused, 'unhealthy');
  const out = cluster.events().find(
    (e) => e.type === 'instance' && e.instance === paused && e.state === 'unhealthy',
  );
  assert.equal(out.reason, 'refused the connection');
  for (let i = 0; i < 4; i++) assert.notEqual(await instanceOf(client, '/'), paused);
  writeFileSync('resume-' + paused, '');
  await cluster.waitForState(paused, 'up');
  const after = [];
  for (let i = 0; i < 4; i++) after.push(await instanceOf(client, '/'));
  assert.ok(after.includes(paused), 'after it listens again: ' + after);
  await cluster.stop();
});

test('drain lets the request in flight finish, sends no new ones, then stops the instance', async () => {
  const cluster = await startCluster({ instances: 2 });
  const client = createClient(cluster.url, { timeoutMs: 20000 });
  const slow = client.get('/slow?ms=1500'); // goes to instance 1, first in turn
  await begun(cluster, '/slow');
  const drained = cluster.drain(1);
  await cluster.waitForState(1, 'draining');
  assert.equal(await instanceOf(client, '/'), 2);
  assert.equal((await slow).status, 200);
  assert.deepEqual(await drained, { forced: false });
  assert.equal(cluster.instances[0].state, 'down');
  await cluster.start(1);
  await cluster.stop();
});

test('drain kills an instance whose request never finishes, after its deadline', async () => {
  const cluster = await startCluster({ instances: 2 });
  const client = createClient(cluster.url, { timeoutMs: 20000 });
  client.get('/never').catch(() => {}); // instance 1, first in turn; it never answers
  await begun(cluster, '/never');
  const result = await cluster.drain(1, { deadlineMs: 500 });
  assert.deepEqual(result, { forced: true });
  assert.match(cluster.output(), /still had 1 request\\(s\\) in flight after 0.5 s; killing it/);
  await cluster.stop();
});

test('latency slows down one instance only', async () => {
  const cluster = await startCluster({ instances: 2 });
  await cluster.latency(2, 1000);
  assert.equal(cluster.instances[1].latencyMs, 1000);
  const client = createClient(cluster.url);
  for (let i = 0; i < 4; i++) await client.get('/');
  const requests = await cluster.waitForRequests(4);
  const ms = (n) => requests.filter((r) => r.instance === n).map((r) => r.ms);
  assert.ok(Math.min(...ms(2)) >= 1000, 'instance 2: ' + ms(2));
  assert.ok(Math.min(...ms(1)) < 1000, 'instance 1: ' + ms(1));
  await cluster.stop();
});

test('the shared cache in front serves a second request without reaching an instance', async () => {
  const cluster = await startCluster({ instances: 2, cache: true });
  const client = createClient(cluster.url);
  const first = await client.get('/product');
  const second = await client.get('/product');
  assert.deepEqual([first.headers['x-cache'], second.headers['x-cache']], ['MISS', 'HIT']);
  assert.equal(second.text, first.text);
  const stats = await cluster.cache.refresh();
  assert.deepEqual([stats.hits, stats.misses, stats.hitRatio], [1, 1, 0.5]);
  assert.equal((await cluster.waitForRequests(1)).length, 1);
  await cluster.stop();
});
`;

describe('load balancer strategies, health checks, drain and latency', () => {
  it('routes by strategy, heals, drains and delays as documented', async () => {
    const run = await runKitChecks(
      { 'strategies.test.mjs': checks },
      { 'server.js': server },
      ['check-helpers', 'balancer', 'hash-ring', 'cache'],
      { deadlineMs: 280_000 },
    );
    expect(run.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(run.results).toHaveLength(8);
  }, 290_000);
});
