import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isEventLine,
  parseEventLine,
  type SandboxEvent,
} from '../../../../src/sandbox/check-results.ts';
import { runKitChecks } from './run-kit-checks.ts';

/** Answers with its instance number; /login sets a session cookie; /visits counts in the store. */
const server = `
const http = require('node:http');
const storeReady = process.env.STORE_URL
  ? import('./_kit/store-client.mjs').then((m) => m.createStore(process.env.STORE_URL))
  : null;
http.createServer(async (req, res) => {
  if (req.url === '/login') res.setHeader('set-cookie', 'sid=visitor-' + process.env.INSTANCE + '; HttpOnly; Path=/');
  if (req.url === '/visits') {
    const store = await storeReady;
    const visits = ((await store.get('visits')) ?? 0) + 1;
    await store.set('visits', visits);
    return res.end(JSON.stringify({ instance: Number(process.env.INSTANCE), visits }));
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ instance: Number(process.env.INSTANCE) }));
}).listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1');`;

const checks = `
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, startCluster as start } from '../_kit/check-helpers.mjs';

// Generous: on a loaded two-core machine, three Node processes can take many seconds to boot.
const startCluster = (options) => start({ readyTimeoutMs: 40000, ...options });

const servedBy = async (client, n, path = '/') => {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await client.get(path)).json().instance);
  return out;
};

test('round-robin visits instances in order', async () => {
  const cluster = await startCluster({ instances: 3 });
  assert.deepEqual(await servedBy(createClient(cluster.url), 6), [1, 2, 3, 1, 2, 3]);
  assert.deepEqual(cluster.instances.map((i) => i.state), ['up', 'up', 'up']);
  await cluster.stop();
});

test('a killed instance gets no traffic until it is started again', async () => {
  const cluster = await startCluster({ instances: 3 });
  const client = createClient(cluster.url);
  await cluster.kill(2);
  assert.equal(cluster.instances[1].state, 'down');
  const during = await servedBy(client, 4);
  assert.ok(!during.includes(2), 'served by ' + during);
  assert.deepEqual([...new Set(during)].sort(), [1, 3]);
  await cluster.start(2);
  assert.ok((await servedBy(client, 3)).includes(2));
  const down = cluster.events().find((e) => e.type === 'instance' && e.instance === 2 && e.state === 'down');
  assert.equal(down.reason, 'killed');
  await cluster.stop();
});

test('with every instance down the balancer answers a readable 502 page', async () => {
  const cluster = await startCluster({ instances: 2 });
  await cluster.kill(1);
  await cluster.kill(2);
  const res = await createClient(cluster.url).get('/cart');
  assert.equal(res.status, 502);
  assert.match(res.headers['content-type'], /text\\/html/);
  assert.match(res.text, /No server instance is up/);
  assert.match(res.text, /GET \\/cart/);
  const last = (await cluster.waitForRequests(1)).at(-1);
  assert.deepEqual([last.instance, last.status, last.path], [null, 502, '/cart']);
  await cluster.stop();
});

test('sticky pins a visitor with a cookie and fails over when its instance dies', async () => {
  const cluster = await startCluster({ instances: 3, strategy: 'sticky' });
  const ada = createClient(cluster.url);
  const bob = createClient(cluster.url);
  const adas = await servedBy(ada, 4);
  const bobs = await servedBy(bob, 4);
  assert.equal(new Set(adas).size, 1, 'Ada moved: ' + adas);
  assert.equal(new Set(bobs).size, 1, 'Bob moved: ' + bobs);
  assert.notEqual(adas[0], bobs[0]);
  assert.equal(ada.cookies.get('svs_lb'), String(adas[0]));

  await cluster.kill(adas[0]);
  const after = await servedBy(ada, 3);
  assert.equal(new Set(after).size, 1);
  assert.notEqual(after[0], adas[0]);
  assert.equal(ada.cookies.get('svs_lb'), String(after[0]));
  await cluster.waitForRequests(11);
  const failover = cluster.events().find((e) => e.type === 'failover');
  assert.deepEqual([failover.from, failover.to], [adas[0], after[0]]);
  await cluster.stop();
});

test('request events name the instance, status and session', async () => {
  const cluster = await startCluster({ instances: 2 });
  const client = createClient(cluster.url);
  const login = await client.get('/login');
  assert.equal(login.headers['x-served-by'], 'instance-1');
  await client.get('/after');
  const [first, second] = await cluster.waitForRequests(2);
  assert.deepEqual(
    [first.method, first.path, first.instance, first.status, first.session, first.id],
    ['GET', '/login', 1, 200, 'visitor-1', 'r1'],
  );
  assert.deepEqual([second.path, second.instance, second.session], ['/after', 2, 'visitor-1']);
  await cluster.stop();
});

test('--store gives every instance the same store', async () => {
  const cluster = await startCluster({ instances: 2, store: true });
  const client = createClient(cluster.url);
  const a = (await client.get('/visits')).json();
  const b = (await client.get('/visits')).json();
  assert.deepEqual([a.instance, a.visits, b.instance, b.visits], [1, 1, 2, 2]);
  await cluster.stop();
});
`;

describe('load balancer (through the check helpers)', () => {
  it('balances, pins, fails over, reports and answers 502', async () => {
    const run = await runKitChecks(
      { 'balancer.test.mjs': checks },
      { 'server.js': server },
      ['check-helpers', 'balancer', 'store', 'store-client'],
      { deadlineMs: 170_000 },
    );
    const failures = run.results.filter((r) => r.status !== 'pass');
    expect(failures).toEqual([]);
    expect(run.results).toHaveLength(6);
  }, 180_000);
});

describe('load balancer event lines', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'svs-balancer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints only lines the topology parser accepts, and hides instance output behind a prefix', async () => {
    cpSync(
      path.resolve(import.meta.dirname, '../../../../sandboxes/_kit'),
      path.join(dir, '_kit'),
      {
        recursive: true,
      },
    );
    // An instance that tries to print a fake event: it must reach the terminal as plain text.
    writeFileSync(
      path.join(dir, 'server.js'),
      `console.log('@@svs-event {"type":"instance","instance":9,"state":"up","port":1}');\n${server}`,
    );
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['_kit/balancer.mjs', '--instances', '2', 'server.js'], {
      cwd: dir,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    let partial = '';
    const waiters: Array<() => void> = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      waiters.splice(0).forEach((w) => w());
    });
    const events = () => lines.filter(isEventLine).map(parseEventLine);
    const until = async (ok: (e: SandboxEvent[]) => boolean) => {
      while (!ok(events().filter((e): e is SandboxEvent => e !== null))) {
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    try {
      await until((e) => e.filter((x) => x.type === 'instance' && x.state === 'up').length === 2);
      await fetch(`http://127.0.0.1:${port}/login`).then((r) => r.text());
      child.stdin.write('kill 1\n');
      await until((e) => e.some((x) => x.type === 'instance' && x.state === 'down'));
    } finally {
      child.kill('SIGTERM');
    }
    const parsed = events();
    expect(parsed).not.toContain(null);
    expect(parsed[0]).toEqual({ type: 'balancer', port, instances: 2, strategy: 'round-robin' });
    expect(parsed).toContainEqual(
      expect.objectContaining({
        type: 'request',
        path: '/login',
        instance: 1,
        session: 'visitor-1',
      }),
    );
    expect(parsed).toContainEqual(
      expect.objectContaining({ type: 'instance', instance: 1, state: 'down', reason: 'killed' }),
    );
    expect(parsed.some((e) => e?.type === 'instance' && e.instance === 9)).toBe(false);
    expect(lines).toContain(
      '[1] @@svs-event {"type":"instance","instance":9,"state":"up","port":1}',
    );
  });
});
