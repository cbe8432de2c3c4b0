import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeCookieHeader, scopeSetCookie } from '../../../src/runner/cookie-scope.ts';
import { PortRegistry } from '../../../src/runner/ports.ts';
import { PreviewProxy } from '../../../src/runner/preview-proxy.ts';

describe('cookie names scoped to one lab', () => {
  it('renames the cookie and keeps every attribute', () => {
    expect(scopeSetCookie('sid=abc; HttpOnly; SameSite=Lax; Path=/', 'server-cart')).toBe(
      'lab.server-cart.sid=abc; HttpOnly; SameSite=Lax; Path=/',
    );
    expect(scopeSetCookie('sid=; Max-Age=0', 'server-cart')).toBe(
      'lab.server-cart.sid=; Max-Age=0',
    );
  });

  it('passes on only its own cookies, under the names the lab set', () => {
    const header =
      'lab.server-cart.sid=a1; lab.stateless-api.sid=b2; theme=dark; lab.server-cart.n=3';
    expect(scopeCookieHeader(header, 'server-cart')).toBe('sid=a1; n=3');
    expect(scopeCookieHeader(header, 'stateless-api')).toBe('sid=b2');
    expect(scopeCookieHeader(header, 'hello-server')).toBeUndefined();
    expect(scopeCookieHeader(undefined, 'hello-server')).toBeUndefined();
  });

  it('a lab name that starts another lab’s name does not see its cookies', () => {
    expect(scopeCookieHeader('lab.cart-two.sid=x', 'cart')).toBeUndefined();
  });

  it('a cookie without a name stays inside its lab', () => {
    const scoped = scopeSetCookie('token123; Path=/', 'hello-server');
    expect(scoped.startsWith('lab.hello-server.=')).toBe(true);
    expect(scopeCookieHeader('lab.hello-server.=token123', 'hello-server')).toBe('token123');
  });
});

describe('two labs’ previews on one host keep separate cookie jars', () => {
  let learnerServer: Server;
  const seenCookies: (string | undefined)[] = [];
  const proxies: PreviewProxy[] = [];

  beforeAll(async () => {
    const ports = new PortRegistry();
    const targetPort = await ports.allocate();
    learnerServer = createServer((req, res) => {
      seenCookies.push(req.headers.cookie);
      res.setHeader('set-cookie', ['sid=s-1; HttpOnly; Path=/', 'seen=yes']);
      res.end('ok');
    });
    await new Promise<void>((resolve) => learnerServer.listen(targetPort, '127.0.0.1', resolve));
    for (const site of ['server-cart', 'stateless-api']) {
      proxies.push(
        await PreviewProxy.start(await ports.allocate(), {
          targetPort,
          isActive: () => true,
          timeoutMs: 5_000,
          site,
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await new Promise((resolve) => learnerServer.close(resolve));
  });

  function get(proxy: PreviewProxy, cookie?: string): Promise<IncomingHttpHeaders> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { host: `127.0.0.1:${proxy.port}` };
      if (cookie !== undefined) headers['cookie'] = cookie;
      request({ host: '127.0.0.1', port: proxy.port, path: '/', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers));
      })
        .on('error', reject)
        .end();
    });
  }

  it('what one lab set reaches that lab, and never the other', async () => {
    const [cart, stateless] = proxies as [PreviewProxy, PreviewProxy];
    const answer = await get(cart);
    expect(answer['set-cookie']).toEqual([
      'lab.server-cart.sid=s-1; HttpOnly; Path=/',
      'lab.server-cart.seen=yes',
    ]);
    // The browser's jar for 127.0.0.1 now holds the cart's cookies plus one of the course's own.
    const jar = 'lab.server-cart.sid=s-1; lab.server-cart.seen=yes; svs-theme=dark';
    seenCookies.length = 0;
    await get(cart, jar);
    await get(stateless, jar);
    expect(seenCookies).toEqual(['sid=s-1; seen=yes', undefined]);
  });
});
