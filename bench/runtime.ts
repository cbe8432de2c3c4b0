/**
 * What a learner waits for: under `npm start`, with the runtime left on `auto`, the time from the
 * first click on Run to the first byte of the preview, through a real browser. Measured with the
 * internet unreachable two ways, since that is where WebContainer's service would cost the most:
 *
 *   - offline: every request to another host fails at once (no network, DNS fails);
 *   - blackholed: requests to the service's host never get an answer (packets dropped).
 *
 * Both are made with a proxy for every non-loopback host (Chromium never proxies loopback): a
 * closed port for offline, a server that accepts and never answers for blackholed. Playwright's
 * request interception would do it too, but it sends every request, the course's own included,
 * through the test process, which adds its own delay to the very path being measured.
 *
 *   npx tsx bench/runtime.ts [runs=5]        (builds first if the site is stale, like npm start)
 *
 * Goal: at most 1 s for both, each a fresh page load (nothing cached in the page). The click and
 * the preview's first byte are taken on the page's own clock (performance.now() and the frame's
 * resource timing); the time the test process sees is printed beside it, later by however long
 * Playwright's events take to reach it. Each run also prints where the time went.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { chromiumLaunchOptions } from '../test/helpers/chromium.ts';

const RUNS = Number(process.argv[2] ?? 5);
const PORT = Number(process.env['BENCH_PORT'] ?? 4415);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const LESSON = '/lessons/how-this-course-works/';

type Network = 'offline' | 'blackholed';

/** A loopback address for the preview check below: the course and its previews live there. */
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host.endsWith('.localhost');
}

/** A port that accepts connections and never answers, like a host that drops every packet. */
async function blackhole(): Promise<{ port: number; close(): void }> {
  const held = new Set<Socket>();
  const server = createServer((socket) => {
    held.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      for (const socket of held) socket.destroy();
      server.close();
    },
  };
}

/** A port nothing listens on: connections are refused at once, as when the network is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function browserFor(network: Network, holePort: number): Promise<Browser> {
  const port = network === 'offline' ? await closedPort() : holePort;
  return chromium.launch({
    ...chromiumLaunchOptions(),
    proxy: { server: `http://127.0.0.1:${port}`, bypass: '127.0.0.1,localhost,*.localhost' },
  });
}

async function startServer(): Promise<() => void> {
  const server = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/start.ts'], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    server.stdout.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Course ready')) resolve();
    });
  });
  return () => server.kill('SIGTERM');
}

/** One request the page made after the click: when it started and ended, in ms after the click. */
interface Step {
  name: string;
  start: number;
  end: number;
}

/** Short names for the requests on the way from Run to the preview, in the order they matter. */
function stepName(url: string): string | null {
  const { pathname } = new URL(url);
  const chunk = /^\/_astro\/([\w-]+)\.[\w-]+\.js$/.exec(pathname);
  if (chunk) return `${chunk[1]} chunk`;
  if (pathname.startsWith('/sandboxes/')) return 'lab files';
  if (pathname.startsWith('/__runner/')) return `runner ${pathname.slice('/__runner/'.length)}`;
  return null;
}

interface Sample {
  /** Click to the preview's first byte, on the page's own clock. */
  elapsed: number;
  /** The same, as the test process saw it (later: Playwright's events take a while to arrive). */
  seenByTest: number;
  steps: Step[];
}

/** What the page records about itself, on its own clock (performance.now()). */
interface BenchMarks {
  click?: number;
  live?: number;
  preview?: number;
  heard: { name: string; at: number }[];
}

/**
 * Runs in the page before its own scripts: notes the click, the runner's "hello" and "ready"
 * events, the moment the live workspace replaces the static view, and the preview frame's timing.
 */
function recordMarks(): void {
  const marks: BenchMarks = { heard: [] };
  Object.assign(window, { benchMarks: marks });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.addEventListener('message', ({ data }) => {
        const type = /"type":"(\w+)"/.exec(String(data))?.[1];
        if (type === 'hello' || type === 'ready')
          marks.heard.push({ name: `runner says ${type}`, at: performance.now() });
      });
    }
  };
  document.addEventListener('pointerdown', () => (marks.click ??= performance.now()), {
    capture: true,
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      // A cross-origin frame's first byte is hidden (0) unless it allows timing; its end is not.
      if (entry.initiatorType === 'iframe')
        marks.preview ??= entry.responseStart || entry.responseEnd;
    }
  }).observe({ type: 'resource', buffered: true });
  document.addEventListener('DOMContentLoaded', () => {
    const root = document.querySelector<HTMLElement>('[data-sandbox]');
    if (!root) return;
    new MutationObserver((_, observer) => {
      if (root.dataset['live'] !== 'true') return;
      marks.live = performance.now();
      observer.disconnect();
    }).observe(root, { attributes: true, attributeFilter: ['data-live'] });
  });
}

async function clickToFirstPreviewByte(context: BrowserContext): Promise<Sample> {
  const page = await context.newPage();
  await page.addInitScript(recordMarks);
  await page.goto(`${ORIGIN}${LESSON}`);
  const lab = page.getByRole('region', { name: /^Lab\b/ });
  const run = lab.getByRole('button', { name: 'Run', exact: true });
  await run.waitFor();
  const firstByte = new Promise<number>((resolve) => {
    // The preview is the first document served from a loopback port other than the course's.
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (
        isLoopback(url.href) &&
        url.port !== String(PORT) &&
        response.request().resourceType() === 'document'
      )
        resolve(performance.now());
    });
  });
  const clicked = performance.now();
  await run.click();
  const seenByTest = (await firstByte) - clicked;
  await page.waitForFunction(() => {
    const { benchMarks } = window as unknown as { benchMarks: BenchMarks };
    return benchMarks.preview !== undefined && benchMarks.live !== undefined;
  });
  const { marks, entries } = await page.evaluate(() => ({
    marks: (window as unknown as { benchMarks: BenchMarks }).benchMarks,
    entries: performance.getEntriesByType('resource').map((entry) => ({
      url: entry.name,
      start: entry.startTime,
      end: (entry as PerformanceResourceTiming).responseEnd,
    })),
  }));
  const click = marks.click!;
  const steps: Step[] = entries.flatMap(({ url, start, end }) => {
    const name = stepName(url);
    return name && end > click
      ? [{ name, start: Math.max(0, start - click), end: end - click }]
      : [];
  });
  for (const { name, at } of marks.heard) steps.push({ name, start: at - click, end: at - click });
  steps.push({ name: 'workspace live', start: marks.live! - click, end: marks.live! - click });
  const elapsed = marks.preview! - click;
  steps.push({ name: 'preview first byte', start: elapsed, end: elapsed });
  await lab.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.close();
  return { elapsed, seenByTest, steps };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Where the time went: each request's median start and end after the click, first started first. */
function breakdown(samples: Sample[]): void {
  const byName = new Map<string, Step[]>();
  for (const { steps } of samples) {
    for (const step of steps) byName.set(step.name, [...(byName.get(step.name) ?? []), step]);
  }
  const rows = [...byName].map(([name, steps]) => ({
    name,
    start: median(steps.map((step) => step.start)),
    end: median(steps.map((step) => step.end)),
  }));
  for (const row of rows.sort((a, b) => a.start - b.start)) {
    console.log(
      `  ${row.name.padEnd(22)} ${row.start.toFixed(0).padStart(5)} -> ${row.end.toFixed(0).padStart(5)} ms`,
    );
  }
}

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const verdict = sorted.at(-1)! <= 1000 ? 'goal met' : 'over the 1 s goal';
  console.log(
    `${label.padEnd(12)} median ${median(samples).toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms   (n=${samples.length}, ${verdict})`,
  );
}

const stopServer = await startServer();
const hole = await blackhole();
try {
  const results = new Map<Network, Sample[]>();
  for (const network of ['offline', 'blackholed'] as const) {
    const browser = await browserFor(network, hole.port);
    const samples: Sample[] = [];
    try {
      for (let i = 0; i < RUNS; i += 1) {
        // A fresh context each time: no remembered runtime choice, nothing cached.
        const context = await browser.newContext();
        samples.push(await clickToFirstPreviewByte(context));
        await context.close();
      }
    } finally {
      await browser.close();
    }
    results.set(network, samples);
  }
  console.log(`npm start, runtime auto: first click on Run -> first preview byte (${RUNS} runs)`);
  for (const [network, samples] of results) {
    summary(
      network,
      samples.map((sample) => sample.elapsed),
    );
    console.log(
      `  (as the test process saw it, through Playwright's events: median ${median(samples.map((sample) => sample.seenByTest)).toFixed(0)} ms)`,
    );
    breakdown(samples);
  }
  console.log(
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
  );
} finally {
  hole.close();
  stopServer();
}
