/**
 * A plain static file server that applies a Netlify/Cloudflare `_headers` file, standing in for
 * a static host in tests: no precompression, no runner, no course-specific logic. If the course
 * is cross-origin isolated here, it is on a host that honours `_headers`.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { pipeline } from 'node:stream';

export interface ParsedRule {
  path: string;
  headers: Record<string, string>;
}

/** Reads `_headers`: a path line, then indented `Name: value` lines; `#` starts a comment. */
export function parseNetlifyHeaders(text: string): ParsedRule[] {
  const rules: ParsedRule[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ path: line.trim(), headers: {} });
      continue;
    }
    const rule = rules.at(-1);
    const colon = line.indexOf(':');
    if (!rule || colon < 0) throw new Error(`_headers: a header line outside a rule: ${line}`);
    rule.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return rules;
}

function patternToRegExp(pattern: string, splat: string): RegExp {
  const escaped = pattern
    .split(splat)
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/** Headers a host would send for a URL path: every matching rule, later rules winning. */
export function netlifyHeadersFor(
  path: string,
  rules: readonly ParsedRule[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (patternToRegExp(rule.path, '*').test(path)) Object.assign(out, rule.headers);
  }
  return out;
}

export interface VercelConfig {
  headers: { source: string; headers: { key: string; value: string }[] }[];
}

export function vercelHeadersFor(path: string, config: VercelConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of config.headers) {
    if (!patternToRegExp(rule.source, '(.*)').test(path)) continue;
    for (const { key, value } of rule.headers) out[key] = value;
  }
  return out;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
};

export function startStaticHost(dir: string): Promise<{ server: Server; url: string }> {
  const rules = parseNetlifyHeaders(readFileSync(join(dir, '_headers'), 'utf8'));
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host.invalid').pathname);
    const safe = normalize(path).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, safe);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    for (const [name, value] of Object.entries(netlifyHeadersFor(path, rules))) {
      res.setHeader(name, value);
    }
    if (!existsSync(file)) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    pipeline(createReadStream(file), res, () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}
