import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreviewProxy } from '../../../src/runner/preview-proxy.ts';
import { PortRegistry } from '../../../src/runner/ports.ts';

/** Raw bytes in, everything the proxy answered (until it goes quiet) out. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      // Both a full response and the proxy's own one end with the (empty) last chunk or body.
      if (/\r\n\r\n[\s\S]*(ok|<\/p>)/.test(answer)) socket.end();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
  });
}

describe('preview proxy (HTTP edge cases)', () => {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let learnerServer: Server;
  let proxy: PreviewProxy;

  beforeAll(async () => {
    const ports = new PortRegistry();
    const [targetPort, proxyPort] = [await ports.allocate(), await ports.allocate()];
    learnerServer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/own-corp') res.setHeader('cross-origin-resource-policy', 'same-origin');
        res.end(`ok ${req.url}`);
      });
    });
    await new Promise<void>((resolve) => learnerServer.listen(targetPort, '127.0.0.1', resolve));
    proxy = await PreviewProxy.start(proxyPort, {
      targetPort,
      isActive: () => true,
      timeoutMs: 5_000,
    });
  });
  /**
   * A smuggled request travels on the proxy's kept-alive upstream connection right after the
   * first; a later request on that connection is parsed only after it. So once a sentinel has
   * arrived, anything smuggled would have too. The sentinel is then forgotten.
   */
  async function afterAnythingSmuggled(): Promise<void> {
    await rawExchange(
      proxy.port,
      `GET /sentinel HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: close\r\n\r\n`,
    );
    const at = seen.findIndex((request) => request.url === '/sentinel');
    if (at >= 0) seen.splice(at, 1);
  }

  afterAll(async () => {
    await proxy.close();
    learnerServer.closeAllConnections();
    await new Promise((resolve) => learnerServer.close(resolve));
  });

  it.each(['GET', 'DELETE', 'POST'])(
    'a chunked %s body reaches the learner server as a body, never as a second request',
    async (method) => {
      seen.length = 0;
      const hidden = 'GET /smuggled HTTP/1.1\r\nHost: evil.example\r\n\r\n';
      const answer = await rawExchange(
        proxy.port,
        `${method} /front HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\n` +
          `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
          `${hidden.length.toString(16)}\r\n${hidden}\r\n0\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      await afterAnythingSmuggled();
      expect(seen.map((request) => request.url)).toEqual(['/front']);
      expect(seen[0]!.body).toBe(hidden);
    },
  );

  it('refuses an absolute-form request target instead of forwarding it', async () => {
    seen.length = 0;
    const answer = await rawExchange(
      proxy.port,
      `GET http://127.0.0.1:22/ HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(seen).toEqual([]);
  });

  it('drops headers the client named in Connection (they were for the proxy hop only)', async () => {
    seen.length = 0;
    const answer = await rawExchange(
      proxy.port,
      `GET /c HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nX-Kept: 2\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(seen[0]!.headers['x-hop']).toBeUndefined();
    expect(seen[0]!.headers['x-kept']).toBe('2');
  });

  it('a body hidden behind `Connection: content-length` reaches the learner server as a body, never as a second request', async () => {
    seen.length = 0;
    const hidden = 'GET /smuggled HTTP/1.1\r\nHost: evil.example\r\n\r\n';
    const answer = await rawExchange(
      proxy.port,
      `GET /front HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: content-length\r\n` +
        `Content-Length: ${hidden.length}\r\n\r\n${hidden}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    await afterAnythingSmuggled();
    expect(seen.map((request) => request.url)).toEqual(['/front']);
    expect(seen[0]!.body).toBe(hidden);
  });

  it.each(['transfer-encoding', 'host'])('keeps %s even when Connection lists it', async (name) => {
    seen.length = 0;
    const answer = await rawExchange(
      proxy.port,
      `POST /listed HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: close, ${name}\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(seen[0]!.body).toBe('body');
    expect(seen[0]!.headers.host).toBe(`127.0.0.1:${proxy.port}`);
  });

  it('keeps the learner server’s own Cross-Origin-Resource-Policy, and adds one only when it sent none', async () => {
    const own = await rawExchange(
      proxy.port,
      `GET /own-corp HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(own.toLowerCase()).toContain('cross-origin-resource-policy: same-origin');
    expect(own.toLowerCase()).not.toContain('cross-origin-resource-policy: cross-origin');
    const none = await rawExchange(
      proxy.port,
      `GET /plain HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(none.toLowerCase()).toContain('cross-origin-resource-policy: cross-origin');
  });
});
