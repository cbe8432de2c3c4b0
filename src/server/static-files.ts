/**
 * The built site's files, indexed once per build, and how one of them is sent. Every file goes out
 * through `stream.pipeline`, so a client that goes away mid-download (any web page can make a
 * browser start and abort hundreds of downloads) closes the file at once and a read error never
 * escapes as an unhandled 'error' event: open files cannot pile up until the process dies.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream';

interface Representation {
  path: string;
  size: number;
  etag: string;
}

interface SiteFile {
  type: string;
  /** The file itself, and its precompressed twins (`x.br`, `x.gz`) when the build wrote them. */
  identity: Representation;
  br?: Representation;
  gzip?: Representation;
}

/** Content types of what an Astro build produces; anything else is sent as bytes. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
};

export type SiteIndex = Map<string, SiteFile>;

/** URL path -> file, for every non-dot file under `distDir`; `/a/` and `/a` both find `a/index.html`. */
export function indexSite(distDir: string): SiteIndex {
  const index: SiteIndex = new Map();
  const walk = (folder: string, urlPrefix: string) => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return; // no built site (yet): everything is a 404
    }
    const present = new Set(names);
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      const stats = statOrNull(path);
      if (!stats) continue;
      if (stats.isDirectory()) {
        walk(path, `${urlPrefix}${name}/`);
        continue;
      }
      if (!stats.isFile()) continue;
      // `x.js.br` next to `x.js` is a representation of `x.js`, not a page of its own.
      const twinOf = /\.(br|gz)$/.exec(name) ? name.slice(0, name.lastIndexOf('.')) : null;
      if (twinOf && present.has(twinOf)) continue;
      const file: SiteFile = {
        type: TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
        identity: representation(path, stats),
      };
      for (const [key, suffix] of [
        ['br', '.br'],
        ['gzip', '.gz'],
      ] as const) {
        const twin = present.has(name + suffix) ? statOrNull(path + suffix) : null;
        if (twin?.isFile()) file[key] = representation(path + suffix, twin);
      }
      const url = `${urlPrefix}${name}`;
      index.set(url, file);
      if (name.endsWith('.html')) index.set(url.slice(0, -'.html'.length), file);
      if (name === 'index.html') {
        index.set(urlPrefix, file);
        if (urlPrefix !== '/') index.set(urlPrefix.slice(0, -1), file);
      }
    }
  };
  walk(distDir, '/');
  return index;
}

/**
 * Sends `file` (or its best precompressed twin) for a GET or HEAD. Headers already set on `res`
 * (isolation, caching) are kept. Resolves once the answer is finished or abandoned.
 */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: SiteFile,
): Promise<void> {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  let chosen = file.identity;
  let encoding: string | undefined;
  if (file.br && /\bbr\b/.test(accepted)) [chosen, encoding] = [file.br, 'br'];
  else if (file.gzip && /\bgzip\b/.test(accepted)) [chosen, encoding] = [file.gzip, 'gzip'];
  if (file.br || file.gzip) res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Content-Type', file.type);
  res.setHeader('ETag', chosen.etag);
  if (req.headers['if-none-match'] === chosen.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  let handle;
  try {
    handle = await open(chosen.path, 'r');
  } catch (error) {
    // Deleted by a rebuild since it was indexed, or out of file descriptors: answer, never crash.
    const code = (error as NodeJS.ErrnoException).code;
    res.statusCode = code === 'ENOENT' ? 404 : 503;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(code === 'ENOENT' ? 'Not found\n' : 'The server is busy; try again.\n');
    return;
  }
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', chosen.size);
  res.statusCode = 200;
  if (req.method === 'HEAD') {
    await handle.close();
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    // pipeline destroys the file stream (closing the descriptor) when `res` closes early.
    pipeline(handle.createReadStream(), res, () => resolve());
  });
}

function representation(path: string, stats: Stats): Representation {
  return { path, size: stats.size, etag: `W/"${stats.size}-${Math.trunc(stats.mtimeMs)}"` };
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
