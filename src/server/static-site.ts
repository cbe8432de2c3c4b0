/**
 * Serves the built course: precompressed files (gzip/brotli written at build time), the isolation
 * headers WebContainers need on every response, long caching for hashed assets only, and the 404
 * page for anything unknown. Paths are vetted before the file server sees them, so traversal
 * attempts get a 400 and never reach the disk.
 */
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BASE_COURSE_HEADERS, FRAMING_HEADERS } from '../utils/site-headers.ts';
import { BUILD_STAMP } from './build-freshness.ts';
import { indexSite, sendFile } from './static-files.ts';

/** What every response of the course carries (src/utils/site-headers.ts, shared with static hosts). */
export const ISOLATION_HEADERS = BASE_COURSE_HEADERS;
export { FRAMING_HEADERS };

/**
 * WebContainer's "open the preview in a new tab" page. It must not be cross-origin isolated (COOP
 * would sever it from the tab that opened it), and it answers for any path below it.
 */
const CONNECT_PREFIX = '/webcontainer/connect/';

/** Astro puts content-hashed bundles here; their names change whenever their bytes do. */
const HASHED_ASSETS = /^\/_astro\//;

/** The decoded path, or null when it is malformed or tries to leave the site. */
export function safePathname(rawUrl: string): string | null {
  const pathPart = rawUrl.split('?')[0] ?? '';
  if (!pathPart.startsWith('/')) return null;
  let decoded: string;
  try {
    // Decode twice: a doubly encoded "%252e%252e" must not slip through as ".." later.
    decoded = decodeURIComponent(decodeURIComponent(pathPart));
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  return decoded;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The built site as it is now, plus the 404 page read at the same moment. */
function snapshotSite(distDir: string): RequestHandler {
  const notFoundPage = (() => {
    try {
      return readFileSync(join(distDir, '404.html'));
    } catch {
      return Buffer.from('<!doctype html><title>Not found</title><h1>Not found</h1>');
    }
  })();
  const index = indexSite(distDir);

  return (req, res) => {
    const pathname = safePathname(req.url ?? '/') ?? '/';
    const file = index.get(pathname);
    if (!file) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      res.end(req.method === 'HEAD' ? undefined : notFoundPage);
      return;
    }
    res.setHeader(
      'Cache-Control',
      HASHED_ASSETS.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    void sendFile(req, res, file);
  };
}

function stampTime(distDir: string): number {
  try {
    return statSync(join(distDir, BUILD_STAMP)).mtimeMs;
  } catch {
    return 0;
  }
}

export function createStaticSite(distDir: string): RequestHandler {
  // Files (and their sizes) are indexed once. A rebuild while the server runs (an author running
  // `npm run build` in another terminal) would then serve new files with old lengths, so take a
  // fresh snapshot whenever the build stamp changes. One stat per request is cheap.
  let builtAt = stampTime(distDir);
  let files = snapshotSite(distDir);

  return (req, res) => {
    const connect = (req.url ?? '').startsWith(CONNECT_PREFIX);
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
      if (connect && name.startsWith('Cross-Origin-')) continue;
      res.setHeader(name, value);
    }
    for (const [name, value] of Object.entries(FRAMING_HEADERS)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.end('Method not allowed\n');
      return;
    }
    if (safePathname(req.url ?? '/') === null) {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Bad request path\n');
      return;
    }
    const stamp = stampTime(distDir);
    if (stamp !== builtAt) {
      builtAt = stamp;
      files = snapshotSite(distDir);
    }
    if (connect) req.url = CONNECT_PREFIX;
    files(req, res);
  };
}
