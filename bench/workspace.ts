/**
 * Workspace cost and speed, against a running `npm start` (local runtime, Chromium):
 *
 *   npx tsx bench/workspace.ts [baseUrl] [lessonSlug] [runs]
 *   defaults: http://127.0.0.1:4321  how-this-course-works  5
 *
 * Prints the gzip size of the JS a lesson's first view loads and of the lazy chunks the first
 * interaction loads, then the median time from the first click on Run to an editable editor,
 * to the server's first output in the terminal, and to the preview showing the page.
 */
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../test/helpers/chromium.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:4321';
const slug = process.argv[3] ?? 'how-this-course-works';
const runs = Number(process.argv[4] ?? 5);
const url = `${base}/lessons/${slug}/?runtime=local`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function gzipSize(href: string): Promise<number> {
  const body = Buffer.from(await (await fetch(href)).arrayBuffer());
  return gzipSync(body, { level: 9 }).length;
}

async function chunkSizes(browser: Browser) {
  const page = await browser.newPage();
  const scripts: string[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.url());
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const firstView = [...new Set(scripts)];
  scripts.length = 0;
  await page.getByRole('button', { name: 'Run', exact: true }).first().click();
  await page.locator('.xterm-rows').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Show solution' }).click();
  await page.getByRole('button', { name: 'Use solution' }).waitFor();
  await page.waitForLoadState('networkidle');
  const lazy = [...new Set(scripts)].filter((s) => !firstView.includes(s));
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.close();

  let firstTotal = 0;
  console.log(`First view of /lessons/${slug}/ (JS, gzip):`);
  for (const href of firstView) {
    const size = await gzipSize(href);
    firstTotal += size;
    console.log(`  ${kb(size).padStart(9)}  ${new URL(href).pathname}`);
  }
  console.log(`  ${kb(firstTotal).padStart(9)}  total`);
  let lazyTotal = 0;
  console.log('Lazy chunks loaded on first interaction (+ Show solution), gzip:');
  for (const href of lazy) {
    const size = await gzipSize(href);
    lazyTotal += size;
    console.log(`  ${kb(size).padStart(9)}  ${new URL(href).pathname}`);
  }
  console.log(`  ${kb(lazyTotal).padStart(9)}  total`);
}

async function timeOneRun(browser: Browser) {
  // A fresh context each time: nothing cached, like a learner's first visit.
  // Tall enough that the whole lab is on screen: xterm skips rendering while it is scrolled away.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page
    .getByRole('region', { name: /^Lab\b/ })
    .first()
    .evaluate((el) => el.scrollIntoView());
  await page.evaluate(() => {
    const w = window as unknown as { benchT0?: number };
    document.addEventListener('click', () => (w.benchT0 ??= performance.now()), { capture: true });
  });
  await page.getByRole('button', { name: 'Run', exact: true }).first().click();
  const since = (condition: string) =>
    page
      .waitForFunction(`(${condition}) ? performance.now() - window.benchT0 : false`, undefined, {
        polling: 'raf',
        timeout: 30_000,
      })
      .then((handle) => handle.jsonValue() as Promise<number>);
  const [editor, output, preview] = await Promise.all([
    since(`document.querySelector('.cm-content[contenteditable="true"]')`),
    // The first row is the workspace's "$ node …" line; the next one is the server's own.
    since(
      `[...document.querySelectorAll('.xterm-rows > div')].filter((r) => r.textContent.trim()).length >= 2`,
    ),
    since(`document.querySelector('iframe[title="Preview of your server"]:not([hidden])')`),
  ]);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await context.close();
  return { editor, output, preview };
}

const browser = await chromium.launch(chromiumLaunchOptions());
try {
  await chunkSizes(browser);
  const samples: { editor: number; output: number; preview: number }[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await timeOneRun(browser));
  const show = (key: keyof (typeof samples)[number]) =>
    `${median(samples.map((s) => s[key])).toFixed(0)} ms (runs: ${samples.map((s) => s[key].toFixed(0)).join(', ')})`;
  console.log(`Median over ${runs} cold runs, from the first click on Run (local runtime):`);
  console.log(`  editable editor        ${show('editor')}`);
  console.log(`  server's first output  ${show('output')}`);
  console.log(`  preview shows the page ${show('preview')}`);
} finally {
  await browser.close();
}
