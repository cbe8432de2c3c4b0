import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, relative, sep } from 'node:path';
import {
  netlifyHeadersFor,
  parseNetlifyHeaders,
  startStaticHost,
  vercelHeadersFor,
  type VercelConfig,
} from '../helpers/static-host.ts';

/** The build the e2e run serves; `npm test` builds it just before. */
const DIST = join(import.meta.dirname, '..', '..', 'dist');

function builtPaths(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return builtPaths(full);
    return [`/${relative(DIST, full).split(sep).join('/')}`];
  });
}

test.describe('deploying the build to a static host', () => {
  test('_headers and vercel.json isolate every built page and asset', () => {
    const netlify = parseNetlifyHeaders(readFileSync(join(DIST, '_headers'), 'utf8'));
    const vercel = JSON.parse(readFileSync(join(DIST, 'vercel.json'), 'utf8')) as VercelConfig;
    const paths = builtPaths(DIST);
    // Pages are requested as folders ("/lessons/x/"), so check those URLs too.
    const urls = [
      ...paths,
      ...paths.filter((p) => p.endsWith('/index.html')).map((p) => p.slice(0, -10)),
    ];
    expect(urls.length).toBeGreaterThan(20);
    for (const url of urls) {
      for (const headers of [netlifyHeadersFor(url, netlify), vercelHeadersFor(url, vercel)]) {
        expect(headers['Cross-Origin-Opener-Policy'], url).toBe('same-origin');
        expect(headers['Cross-Origin-Embedder-Policy'], url).toBe('require-corp');
      }
    }
    const asset = paths.find((p) => p.startsWith('/_astro/') && p.endsWith('.js'));
    expect(asset, 'the build has hashed scripts').toBeDefined();
    expect(netlifyHeadersFor(asset ?? '', netlify)['Cache-Control']).toContain('immutable');
    expect(vercelHeadersFor(asset ?? '', vercel)['Cache-Control']).toContain('immutable');
  });

  test.describe('served by a plain static server that applies _headers', () => {
    let host: { server: Server; url: string };
    test.beforeAll(async () => {
      host = await startStaticHost(DIST);
    });
    test.afterAll(async () => {
      await new Promise((resolve) => host.server.close(resolve));
    });

    test('a lab page is cross-origin isolated', async ({ page }) => {
      await page.goto(`${host.url}/lessons/how-this-course-works/`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    });

    test('search works there with every other origin cut off', async ({ page }) => {
      test.slow(); // the index and its WebAssembly load on first use
      const own = new URL(host.url).origin;
      const elsewhere: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || new URL(url).origin === own) return route.continue();
        elsewhere.push(url);
        return route.abort('internetdisconnected');
      });
      await page.goto(`${host.url}/glossary/`);
      await page.getByRole('button', { name: 'Search the course' }).click();
      const dialog = page.getByRole('dialog', { name: 'Search the course' });
      await dialog.getByRole('searchbox').fill('sticky session');
      await expect(dialog.getByRole('status')).toHaveText(/\d+ results?\./, { timeout: 60_000 });
      await expect(dialog.locator('.search__page', { hasText: /^Load balancing$/ })).toHaveCount(1);
      expect(elsewhere).toEqual([]);
    });
  });
});
