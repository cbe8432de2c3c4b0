/**
 * Header files for static hosts, written into the build: `_headers` (Netlify, Cloudflare Pages)
 * and `vercel.json` (Vercel). Without them a host serves the course without cross-origin
 * isolation, and the in-browser runtime can't boot. GitHub Pages reads neither (see README).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COURSE_HEADERS, HASHED_ASSET_PREFIX, IMMUTABLE_CACHE } from '../utils/site-headers.ts';

export interface HeaderRule {
  /** A path pattern in Netlify's syntax: `*` matches any run of characters. */
  path: string;
  headers: Readonly<Record<string, string>>;
}

export const DEPLOY_HEADER_RULES: readonly HeaderRule[] = [
  // No Cache-Control here: hosts merge the values of every matching rule, and the immutable one
  // below must not be joined with a no-cache. Their default (revalidate) suits HTML.
  { path: '/*', headers: COURSE_HEADERS },
  { path: `${HASHED_ASSET_PREFIX}*`, headers: { 'Cache-Control': IMMUTABLE_CACHE } },
];

/** Netlify/Cloudflare `_headers`: a path line, then indented `Name: value` lines. */
export function renderNetlifyHeaders(rules: readonly HeaderRule[]): string {
  const blocks = rules.map((rule) =>
    [rule.path, ...Object.entries(rule.headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n'),
  );
  return `# Written by npm run build; edit src/utils/site-headers.ts instead.\n${blocks.join('\n')}\n`;
}

/** Netlify's `*` becomes path-to-regexp's `(.*)`, which is what Vercel's `source` takes. */
function vercelSource(path: string): string {
  return path.replace(/\*/g, '(.*)');
}

export function renderVercelConfig(rules: readonly HeaderRule[]): string {
  const config = {
    headers: rules.map((rule) => ({
      source: vercelSource(rule.path),
      headers: Object.entries(rule.headers).map(([key, value]) => ({ key, value })),
    })),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export async function writeDeployHeaders(outDir: string): Promise<void> {
  await writeFile(join(outDir, '_headers'), renderNetlifyHeaders(DEPLOY_HEADER_RULES));
  await writeFile(join(outDir, 'vercel.json'), renderVercelConfig(DEPLOY_HEADER_RULES));
}
