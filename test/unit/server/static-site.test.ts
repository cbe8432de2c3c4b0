import { mkdtempSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCourseServer, type CourseServer } from '../../../src/server/course-server.ts';

/** A raw request, so paths like /../x reach the server exactly as written. */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('latin1'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let root: string;
let site: CourseServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'svs-site-test-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, '_astro'), { recursive: true });
  mkdirSync(join(dist, 'lessons', 'one'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(dist, '404.html'), '<h1>custom not found</h1>');
  writeFileSync(join(dist, 'lessons', 'one', 'index.html'), '<h1>lesson one</h1>');
  writeFileSync(join(dist, '_astro', 'app.Ab12Cd.js'), 'console.log(1)');
  mkdirSync(join(dist, 'webcontainer', 'connect'), { recursive: true });
  writeFileSync(join(dist, 'webcontainer', 'connect', 'index.html'), '<h1>connecting</h1>');
  writeFileSync(join(dist, '.build-stamp'), 'now');
  // A secret just outside the served folder: no request may ever read it.
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET');
  site = await startCourseServer({ distDir: dist, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await site.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the course server', () => {
  it('serves pages with the isolation headers WebContainers need', async () => {
    const res = await get(site.url, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('home');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves directory-style lesson URLs with and without the trailing slash', async () => {
    expect((await get(site.url, '/lessons/one/')).body).toContain('lesson one');
    expect((await get(site.url, '/lessons/one')).body).toContain('lesson one');
  });

  it('caches hashed assets for a year and nothing else', async () => {
    const res = await get(site.url, '/_astro/app.Ab12Cd.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it('answers unknown paths with the 404 page and status 404', async () => {
    const res = await get(site.url, '/no/such/page');
    expect(res.status).toBe(404);
    expect(res.body).toContain('custom not found');
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/_astro/..%2f..%2fsecret.txt',
    '/%252e%252e/secret.txt',
    '/..%5csecret.txt',
    '/a%00b',
    '/%E0%A4%A',
  ])('refuses the traversal or malformed path %s with a 4xx', async (path) => {
    const res = await get(site.url, path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toContain('TOP-SECRET');
  });

  it('does not serve dotfiles such as the build stamp', async () => {
    expect((await get(site.url, '/.build-stamp')).status).toBe(404);
  });

  it('serves a rebuilt site without a restart once the build stamp changes', async () => {
    const dist = join(root, 'dist');
    writeFileSync(
      join(dist, 'lessons', 'one', 'index.html'),
      '<h1>lesson one, rewritten and longer</h1>',
    );
    writeFileSync(join(dist, 'fresh.html'), '<h1>a page added by the rebuild</h1>');
    writeFileSync(join(dist, '.build-stamp'), 'later');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dist, '.build-stamp'), later, later);
    const rewritten = await get(site.url, '/lessons/one/');
    expect(rewritten.body).toBe('<h1>lesson one, rewritten and longer</h1>');
    expect((await get(site.url, '/fresh')).status).toBe(200);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const url = new URL(site.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: '/', method: 'POST' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('x');
    });
    expect(status).toBe(405);
  });
});

describe('the WebContainer connect page', () => {
  it('answers for any path below it, without cross-origin isolation headers', async () => {
    const answer = await get(site.url, '/webcontainer/connect/abc123?x=1');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('connecting');
    expect(answer.headers['cross-origin-opener-policy']).toBeUndefined();
    expect(answer.headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('leaves every other page isolated, and still refuses traversal below it', async () => {
    expect((await get(site.url, '/')).headers['cross-origin-opener-policy']).toBe('same-origin');
    expect((await get(site.url, '/webcontainer/connect/../../../secret.txt')).status).toBe(400);
  });
});

describe('the course server under hostile clients', () => {
  it('sends course pages with frame-ancestors self, so no other site can frame them', async () => {
    for (const path of ['/', '/_astro/app.Ab12Cd.js', '/no/such/page']) {
      const res = await get(site.url, path);
      expect(res.headers['content-security-policy']).toBe("frame-ancestors 'self'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });

  it('serves the precompressed twin the client accepts, and 304 for a known ETag', async () => {
    const dist = join(root, 'dist');
    writeFileSync(join(dist, '_astro', 'zipped.js'), 'plain');
    writeFileSync(join(dist, '_astro', 'zipped.js.br'), 'brotli bytes');
    writeFileSync(join(dist, '_astro', 'zipped.js.gz'), 'gzip bytes');
    touchStamp(dist);
    const br = await get(site.url, '/_astro/zipped.js', { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body).toBe('brotli bytes');
    const gz = await get(site.url, '/_astro/zipped.js', { 'accept-encoding': 'gzip' });
    expect(gz.body).toBe('gzip bytes');
    const plain = await get(site.url, '/_astro/zipped.js');
    expect(plain.body).toBe('plain');
    expect(plain.headers['vary']).toBe('Accept-Encoding');
    const again = await get(site.url, '/_astro/zipped.js', {
      'if-none-match': String(plain.headers['etag']),
    });
    expect(again.status).toBe(304);
  });

  it('500 downloads aborted after the headers leave no file open, and the server still answers', async () => {
    const dist = join(root, 'dist');
    writeFileSync(join(dist, '_astro', 'big.Zz99.js'), Buffer.alloc(4 * 1024 * 1024, 0x61));
    touchStamp(dist);
    await get(site.url, '/'); // let the server take its new snapshot before counting
    const before = openFiles();
    const port = Number(new URL(site.url).port);
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => abortedDownload(port)));
    }
    await waitFor(
      () => openFiles() <= before + 2,
      10_000,
      () => `${openFiles()} > ${before}`,
    );
    expect((await get(site.url, '/')).status).toBe(200);
  }, 120_000);
});

function touchStamp(dist: string): void {
  const later = new Date(Date.now() + Math.random() * 1_000_000);
  utimesSync(join(dist, '.build-stamp'), later, later);
}

function openFiles(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Asks for a large asset like a no-cors fetch would, then hangs up once the headers arrive. */
function abortedDownload(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET /_astro/big.Zz99.js HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
    );
    socket.once('data', () => socket.destroy());
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
}

async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`still not true after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
