import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The kit is plain JavaScript for the sandboxes (types inferred via allowJs).
import { formatSummary, load } from '../../../../sandboxes/_kit/load.mjs';
import { createOutputDemuxer, type LoadEvent } from '../../../../src/sandbox/check-results.ts';
import { KIT_DIR, randomFreePort } from './kit-process.ts';

// Long enough that a busy machine's scheduling noise stays well inside the 10% asked for.
const DELAY_MS = 1000;

/**
 * Answers every request after DELAY_MS, naming one of two "instances" in turn. On a busy machine a
 * timer fires late, so it also records how long it really held each request (GET /held).
 */
const delayed = `
let n = 0;
const held = [];
require('node:http').createServer((req, res) => {
  const by = 'instance-' + ((n++ % 2) + 1);
  if (req.url === '/held') return res.end(JSON.stringify(held.splice(0)));
  if (req.url === '/fail') return res.writeHead(503, { 'x-served-by': by }).end();
  const start = performance.now();
  setTimeout(() => {
    held.push(performance.now() - start);
    res.writeHead(200, { 'x-served-by': by }).end('ok');
  }, ${DELAY_MS});
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

let server: ChildProcess;
let url: string;

beforeAll(async () => {
  server = spawn(process.execPath, ['-e', delayed], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
  url = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
});
afterAll(() => server.kill());

describe('load generator', () => {
  it(`measures a p50 within 10% of a server's ${DELAY_MS} ms delay`, async () => {
    const summary = await load(url, { path: '/', concurrency: 4, requests: 16 });
    expect(summary.requests).toBe(16);
    expect(summary.ok).toBe(16);
    const held = ((await (await fetch(`${url}/held`)).json()) as number[]).sort((a, b) => a - b);
    const serverP50 = held[Math.ceil(held.length / 2) - 1] ?? 0;
    expect(serverP50).toBeGreaterThanOrEqual(DELAY_MS);
    expect(summary.latency.p50).toBeGreaterThanOrEqual(serverP50);
    expect(summary.latency.p50).toBeLessThanOrEqual(serverP50 * 1.1);
    expect(summary.served).toEqual({ 'instance-1': 0.5, 'instance-2': 0.5 });
    expect(formatSummary(summary)).toMatch(
      /^16 requests in [\d.]+ s: [\d.]+ requests\/s \(16 ok\)/,
    );
  });

  it('keeps a fixed arrival rate for a duration', async () => {
    const summary = await load(url, { rate: 20, duration: '1s' });
    // 20 arrivals scheduled in one second; each answered after the delay, none skipped.
    expect(summary.requests).toBe(20);
    expect(summary.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('sends every arrival of a fixed rate, late, when its own process was starved', async () => {
    let stalled = false;
    const summary = await load(url, {
      rate: 20,
      duration: '1s',
      progressEveryMs: 100,
      // Blocks this process past the end of the second, as a busy laptop can.
      onProgress: () => {
        if (stalled) return;
        stalled = true;
        const until = performance.now() + 1100;
        while (performance.now() < until);
      },
    });
    expect(summary.requests).toBe(20);
    expect(summary.errors).toEqual({});
  });

  it('counts errors by kind: statuses and refused connections', async () => {
    const failing = await load(url, { path: '/fail', concurrency: 2, requests: 6 });
    expect(failing.errors).toEqual({ 'status 503': 6 });
    expect(failing.ok).toBe(0);
    const nobody = await load(`http://127.0.0.1:${await randomFreePort()}`, {
      concurrency: 1,
      requests: 3,
    });
    expect(nobody.errors).toEqual({ ECONNREFUSED: 3 });
  });

  it('refuses a rate, concurrency or duration above its caps, naming the cap', async () => {
    await expect(load(url, { rate: 50_000, duration: '1s' })).rejects.toThrow(
      /rate must be 1 to 20000 requests\/s/,
    );
    await expect(load(url, { concurrency: 1000, requests: 1 })).rejects.toThrow(
      /concurrency must be a whole number from 1 to 256/,
    );
    await expect(load(url, { concurrency: 1, duration: '10m' })).rejects.toThrow(/at most 60 s/);
    await expect(load(url, { concurrency: 1 })).rejects.toThrow(/a duration or a request count/);
  });
});

describe('load generator progress', () => {
  it('reports snapshots while it runs, then one that matches the summary', async () => {
    const snapshots: Array<Omit<LoadEvent, 'type'>> = [];
    // 8 requests, 4 at a time, each held for a second: about two seconds of load.
    const summary = await load(url, {
      concurrency: 4,
      requests: 8,
      progressEveryMs: 100,
      onProgress: (snapshot: Omit<LoadEvent, 'type'>) => snapshots.push(snapshot),
    });
    const last = snapshots.at(-1);
    expect(last).toMatchObject({ state: 'done', requests: 8, target: 8, durationMs: null });
    const running = snapshots.slice(0, -1);
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((s) => s.state === 'running' && s.requests <= 8)).toBe(true);
    const counts = running.map((s) => s.requests);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(last?.requests).toBe(summary.requests);
  });

  it('from the terminal, prints progress as event lines the course page reads, and its summary', async () => {
    const child = spawn(
      process.execPath,
      [`${KIT_DIR}/load.mjs`, '--concurrency', '2', '--requests', '4', '--url', url, '/'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    const demux = createOutputDemuxer();
    const { text, events } = demux.push(output);
    const loads = events.filter((e): e is LoadEvent => e.type === 'load');
    expect(loads.length).toBeGreaterThan(1);
    expect(loads.at(-1)).toMatchObject({ state: 'done', requests: 4, target: 4 });
    expect(loads.slice(0, -1).every((e) => e.state === 'running')).toBe(true);
    expect(text).toMatch(/^4 requests in [\d.]+ s/m);
  });

  it('prints no progress lines with --json, whose output is one JSON summary', async () => {
    const child = spawn(
      process.execPath,
      [`${KIT_DIR}/load.mjs`, '--json', '--concurrency', '2', '--requests', '2', '--url', url, '/'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await once(child, 'exit');
    expect(JSON.parse(output)).toMatchObject({ requests: 2 });
  });
});
