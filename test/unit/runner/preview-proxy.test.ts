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
      // Give a smuggled request the time it would need to arrive before looking.
      await new Promise((resolve) => setTimeout(resolve, 200));
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
});
