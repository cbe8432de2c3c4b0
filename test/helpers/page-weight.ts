/**
 * Measures what a page's first view downloads, by kind, as a browser sees it: every response until
 * the network is idle, with no interaction. Shared by the page-weight benchmark and the budget test.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';

export type AssetKind = 'html' | 'css' | 'js' | 'other';

export interface KindTotals {
  raw: number;
  gzip: number;
  requests: number;
}

export type PageWeight = Record<AssetKind, KindTotals> & { requests: number };

function kindOf(contentType: string): AssetKind {
  if (contentType.includes('html')) return 'html';
  if (contentType.includes('css')) return 'css';
  if (contentType.includes('javascript')) return 'js';
  return 'other';
}

const empty = (): KindTotals => ({ raw: 0, gzip: 0, requests: 0 });

/**
 * Loads `url` and totals every response body. Sizes are the decoded bytes and their gzip -9 size,
 * so numbers don't depend on which encoding the browser negotiated.
 */
export async function measurePage(page: Page, url: string): Promise<PageWeight> {
  const bodies: Promise<{ kind: AssetKind; body: Buffer } | null>[] = [];
  page.on('response', (response) => {
    bodies.push(
      (async () => {
        try {
          const body = await response.body();
          return { kind: kindOf(response.headers()['content-type'] ?? ''), body };
        } catch {
          return null;
        }
      })(),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const totals: PageWeight = {
    html: empty(),
    css: empty(),
    js: empty(),
    other: empty(),
    requests: 0,
  };
  for (const item of await Promise.all(bodies)) {
    if (!item) continue;
    const bucket = totals[item.kind];
    bucket.raw += item.body.length;
    bucket.gzip += gzipSync(item.body, { level: 9 }).length;
    bucket.requests += 1;
    totals.requests += 1;
  }
  return totals;
}
