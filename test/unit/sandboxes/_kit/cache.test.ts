import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
// The kit is plain JavaScript for the sandboxes (types inferred via allowJs).
import { createCacheProxy, MAX_ENTRIES } from '../../../../sandboxes/_kit/cache.mjs';

/**
 * The upstream answers with the headers the query asks for: ?cc=<cache-control>&vary=<name>&etag=<tag>.
 * It counts requests and remembers the If-None-Match it was sent.
 */
let upstreamHits = 0;
let lastIfNoneMatch: string | undefined;
const upstream = http.createServer((req, res) => {
  upstreamHits += 1;
  lastIfNoneMatch = req.headers['if-none-match'] as string | undefined;
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const etag = q.get('etag');
  if (etag && req.headers['if-none-match'] === `"${etag}"`) {
    res.writeHead(304, { etag: `"${etag}"` }).end();
    return;
  }
  const headers: Record<string, string> = {};
  if (q.get('cc')) headers['cache-control'] = q.get('cc') ?? '';
  if (q.get('vary')) headers['vary'] = q.get('vary') ?? '';
  if (etag) headers['etag'] = `"${etag}"`;
  res
    .writeHead(200, headers)
    .end(`body ${upstreamHits} for ${req.headers['accept-language'] ?? '-'}`);
});

type Cache = ReturnType<typeof createCacheProxy> & { stats(): Record<string, number> };
let cache: Cache;
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  cache = createCacheProxy({ upstream: `http://127.0.0.1:${port}` }) as Cache;
  base = `http://127.0.0.1:${await cache.listen(0)}`;
});
afterAll(async () => {
  await cache.close();
  await new Promise((resolve) => upstream.close(resolve));
});
afterEach(() => vi.useRealTimers());

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(base + path, { headers, method });
  return {
    status: res.status,
    xcache: res.headers.get('x-cache'),
    age: res.headers.get('age'),
    text: await res.text(),
  };
}
const cc = (value: string) => `?cc=${encodeURIComponent(value)}`;

describe('shared cache', () => {
  it('stores a public response for its max-age and says HIT with an Age', async () => {
    const path = `/a${cc('public, max-age=60')}`;
    const first = await get(path);
    const second = await get(path);
    expect([first.xcache, second.xcache]).toEqual(['MISS', 'HIT']);
    expect(second.text).toBe(first.text);
    expect(second.age).toBe('0');
  });

  it('lets s-maxage win over max-age, and serves stale responses no longer', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const path = `/s${cc('max-age=0, s-maxage=10')}`;
    await get(path);
    expect((await get(path)).xcache).toBe('HIT');
    vi.setSystemTime(Date.now() + 5_000);
    expect((await get(path)).age).toBe('5');
    vi.setSystemTime(Date.now() + 5_000);
    expect((await get(path)).xcache).toBe('MISS');
  });

  it('never stores private, no-store, or lifetime-less responses', async () => {
    for (const value of ['private, max-age=60', 'no-store', 'public', '']) {
      const path = `/n${cc(value)}`;
      await get(path);
      expect((await get(path)).xcache, value).toBe('MISS');
    }
  });

  it('shares a response to a request with Cookie or Authorization only when marked public or s-maxage', async () => {
    for (const header of [{ cookie: 'sid=ada' }, { authorization: 'Bearer ada' }]) {
      const plain = `/c${cc('max-age=60')}&h=${Object.keys(header)[0]}`;
      await get(plain, header);
      expect((await get(plain, header)).xcache).toBe('MISS');
      const shared = `/c${cc('public, max-age=60')}&h=${Object.keys(header)[0]}`;
      await get(shared, header);
      expect((await get(shared)).xcache).toBe('HIT');
    }
  });

  it('keeps one entry per value of the headers in Vary', async () => {
    const path = `/v${cc('public, max-age=60')}&vary=accept-language`;
    const en = await get(path, { 'accept-language': 'en' });
    const fr = await get(path, { 'accept-language': 'fr' });
    expect(fr.xcache).toBe('MISS');
    expect((await get(path, { 'accept-language': 'en' })).text).toBe(en.text);
    expect((await get(path, { 'accept-language': 'fr' })).text).toBe(fr.text);
  });

  it('revalidates a no-cache response with If-None-Match and serves the stored body on 304', async () => {
    const path = `/e${cc('no-cache')}&etag=v1`;
    const first = await get(path);
    const hitsBefore = upstreamHits;
    const second = await get(path);
    expect(second.xcache).toBe('REVALIDATED');
    expect(lastIfNoneMatch).toBe('"v1"');
    expect(upstreamHits).toBe(hitsBefore + 1);
    expect(second.text).toBe(first.text);
  });

  it('answers 304 itself to a client whose ETag matches a fresh entry', async () => {
    const path = `/m${cc('public, max-age=60')}&etag=v7`;
    await get(path);
    // node:http, not fetch: fetch adds Cache-Control: no-cache to a conditional request.
    const res = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(base + path, { headers: { 'if-none-match': '"v7"' } }, resolve),
    );
    res.resume();
    expect([res.statusCode, res.headers['x-cache']]).toEqual([304, 'HIT']);
  });

  it('drops what it stored for a URL after a successful POST to it', async () => {
    const path = `/p${cc('public, max-age=60')}`;
    await get(path);
    await get(path, {}, 'POST');
    expect((await get(path)).xcache).toBe('MISS');
  });

  it('keeps at most its limit of responses, even for one URL that varies, and says so once', async () => {
    expect(MAX_ENTRIES).toBe(1000);
    const said: string[] = [];
    const { port } = upstream.address() as AddressInfo;
    // A limit of 5 stands in for the real 1,000, so the test stays quick on a busy machine.
    // The kit's JavaScript types `say` from its default, which takes no argument.
    const withSay = createCacheProxy as unknown as (options: object) => Cache;
    const small = withSay({
      upstream: `http://127.0.0.1:${port}`,
      say: (text: string) => said.push(text),
      maxEntries: 5,
    });
    const front = `http://127.0.0.1:${await small.listen(0)}`;
    try {
      const path = `/flood${cc('public, max-age=60')}&vary=x-visitor`;
      for (let i = 0; i < 12; i += 1) {
        const res = await fetch(front + path, { headers: { 'x-visitor': `v${i}` } });
        await res.arrayBuffer();
      }
      expect(small.stats().entries).toBe(5);
      const notes = said.filter((text) => text.includes('MAX_ENTRIES'));
      expect(notes).toEqual([
        'cache full: it keeps at most 5 responses (MAX_ENTRIES), so the oldest are dropped; is something making every URL or header value unique?',
      ]);
    } finally {
      await small.close();
    }
  });

  it('counts hits, misses and revalidations, and reports the hit ratio', () => {
    const stats = cache.stats();
    expect(stats.hits).toBeGreaterThan(0);
    expect(stats.hitRatio).toBeCloseTo(
      stats.hits / (stats.hits + stats.misses + stats.revalidated),
      2,
    );
  });
});

/** A small seeded generator, so a failing sequence can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('shared cache property', () => {
  it("never serves one client's private response to another", async () => {
    const policies = [
      'private, max-age=60',
      'max-age=60',
      'no-store',
      'public, max-age=60',
      's-maxage=60',
      'no-cache',
      'max-age=60, private',
      '',
    ];
    const users = ['ada', 'bob', 'cy'];
    /** response id -> who it was made for, and whether the server allowed sharing it */
    const made = new Map<string, { user: string; shareable: boolean }>();
    let id = 0;
    const personal = http.createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const headers: IncomingHttpHeaders = req.headers;
      const user =
        /sid=(\w+)/.exec(headers.cookie ?? '')?.[1] ??
        /Bearer (\w+)/.exec(headers.authorization ?? '')?.[1] ??
        'anonymous';
      const policy = q.get('p') ?? '';
      const tag = `r${(id += 1)}`;
      const shareable = /public|s-maxage/.test(policy) && !/private|no-store/.test(policy);
      made.set(tag, { user, shareable });
      const out: Record<string, string> = policy ? { 'cache-control': policy } : {};
      if (q.get('etag')) out.etag = `"${q.get('etag')}"`;
      res.writeHead(200, out).end(JSON.stringify({ tag, user }));
    });
    await new Promise<void>((resolve) => personal.listen(0, '127.0.0.1', resolve));
    const proxy = createCacheProxy({
      upstream: `http://127.0.0.1:${(personal.address() as AddressInfo).port}`,
    }) as Cache;
    const front = `http://127.0.0.1:${await proxy.listen(0)}`;
    try {
      for (const seed of [1, 2, 3, 4, 5]) {
        const next = random(seed);
        const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)] as T;
        for (let i = 0; i < 60; i += 1) {
          const user = pick([...users, 'anonymous']);
          const path = `/account/${pick(['1', '2'])}?p=${encodeURIComponent(pick(policies))}${next() < 0.3 ? '&etag=x' : ''}`;
          const headers: Record<string, string> = {};
          if (user !== 'anonymous') {
            if (next() < 0.5) headers.cookie = `sid=${user}`;
            else headers.authorization = `Bearer ${user}`;
          }
          const body = (await (await fetch(front + path, { headers })).json()) as { tag: string };
          const origin = made.get(body.tag);
          if (origin && origin.user !== user && origin.user !== 'anonymous') {
            expect(
              origin.shareable,
              `seed ${seed} step ${i}: ${user} got ${origin.user}'s response to ${path}`,
            ).toBe(true);
          }
        }
      }
    } finally {
      await proxy.close();
      await new Promise((resolve) => personal.close(resolve));
    }
  });
});
