/**
 * Prints what every built page downloads on first view (HTML, CSS, JS: raw and gzip bytes) and its
 * request count, loaded in Chromium with no interaction. Run after a build:
 *
 *   npm run build && npm run bench:page-weight
 *
 * It starts its own course server on a free port, so nothing else needs to be running.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startCourseServer } from '../src/server/course-server.ts';
import { measurePage } from '../test/helpers/page-weight.ts';
import { chromiumLaunchOptions } from '../test/helpers/chromium.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error('No built site in dist/. Run `npm run build` first.');
  process.exit(1);
}

/** Every page of the built site, as the URL a learner would visit. */
function pagesIn(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...pagesIn(path));
    else if (entry.endsWith('.html')) {
      const rel = `/${relative(dist, path).split('\\').join('/')}`;
      found.push(rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
    }
  }
  return found.sort();
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1).padStart(7);

const server = await startCourseServer({ distDir: dist, host: '127.0.0.1', port: 0 });
const browser = await chromium.launch(chromiumLaunchOptions());

try {
  console.log('First-view weight per page (KB; gz = gzip -9 of the decoded body)\n');
  console.log(
    `${'page'.padEnd(52)} ${'html'.padStart(7)} ${'html gz'.padStart(7)} ${'css'.padStart(7)} ${'css gz'.padStart(7)} ${'js'.padStart(7)} ${'js gz'.padStart(7)} ${'reqs'.padStart(5)}`,
  );
  let maxJs = 0;
  for (const path of pagesIn(dist)) {
    const page = await browser.newPage();
    const w = await measurePage(page, server.url + path);
    await page.close();
    maxJs = Math.max(maxJs, w.js.gzip);
    console.log(
      `${path.padEnd(52)} ${kb(w.html.raw)} ${kb(w.html.gzip)} ${kb(w.css.raw)} ${kb(w.css.gzip)} ${kb(w.js.raw)} ${kb(w.js.gzip)} ${String(w.requests).padStart(5)}`,
    );
  }
  console.log(`\nLargest first-view JS: ${(maxJs / 1024).toFixed(2)} KB gzip (budget 10 KB)`);
} finally {
  await browser.close();
  await server.close();
}
