/**
 * What a learner waits for: under `npm start`, with the runtime left on `auto`, the time from the
 * first click on Run to the first byte of the preview, through a real browser. Measured with the
 * internet unreachable two ways, since that is where WebContainer's service would cost the most:
 *
 *   - offline: every request to another host fails at once (no network, DNS fails);
 *   - blackholed: requests to the service's host never get an answer (packets dropped).
 *
 *   npx tsx bench/runtime.ts [runs=5]        (builds first if the site is stale, like npm start)
 *
 * Goal: at most 1 s for both, each a fresh page load (nothing cached in the page).
 */
import { spawn } from 'node:child_process';
import { chromium, type BrowserContext, type Route } from '@playwright/test';
import { chromiumLaunchOptions } from '../test/helpers/chromium.ts';

const RUNS = Number(process.argv[2] ?? 5);
const PORT = Number(process.env['BENCH_PORT'] ?? 4415);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const LESSON = '/lessons/how-this-course-works/';

type Network = 'offline' | 'blackholed';

/** Anything not on this machine: the course and its previews are on loopback names. */
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host.endsWith('.localhost');
}

async function cutOff(context: BrowserContext, network: Network): Promise<void> {
  const held: Route[] = [];
  await context.route(
    (url) => !isLoopback(url.href),
    (route) => {
      if (network === 'offline') void route.abort('internetdisconnected');
      else held.push(route); // never answered, like a host that drops packets
    },
  );
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

async function clickToFirstPreviewByte(context: BrowserContext): Promise<number> {
  const page = await context.newPage();
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
  const elapsed = (await firstByte) - clicked;
  await lab.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.close();
  return elapsed;
}

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const verdict = sorted.at(-1)! <= 1000 ? 'goal met' : 'over the 1 s goal';
  console.log(
    `${label.padEnd(12)} median ${median.toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms   (n=${samples.length}, ${verdict})`,
  );
}

const stopServer = await startServer();
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const results = new Map<Network, number[]>();
  for (const network of ['offline', 'blackholed'] as const) {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      // A fresh context each time: no remembered runtime choice, nothing cached.
      const context = await browser.newContext();
      await cutOff(context, network);
      samples.push(await clickToFirstPreviewByte(context));
      await context.close();
    }
    results.set(network, samples);
  }
  console.log(`npm start, runtime auto: first click on Run -> first preview byte (${RUNS} runs)`);
  for (const [network, samples] of results) summary(network, samples);
} finally {
  await browser.close();
  stopServer();
}
