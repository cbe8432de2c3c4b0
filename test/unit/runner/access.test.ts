import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../../src/runner/index.ts';
import { handshakeStatus, post, startCourse, type Course } from './harness.ts';

describe('runner access control', () => {
  let course: Course;
  let page: string;
  beforeAll(async () => {
    course = await startCourse();
    page = (await course.openPage()).id;
  });
  afterAll(() => course.close());

  const mount = (headers: Record<string, string>) =>
    course.api('mount', { page, files: { 'a.js': '' } }, { headers });

  it('accepts the course page itself', async () => {
    expect((await mount({})).status).toBe(200);
    expect(
      (await mount({ host: `localhost:${course.port}`, origin: `http://localhost:${course.port}` }))
        .status,
    ).toBe(200);
  });

  it.each([
    ['Origin https://evil.example', { origin: 'https://evil.example' }],
    ['Origin null', { origin: 'null' }],
    ['the course origin on another port', { origin: 'http://127.0.0.1:1' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a state change from %s (403)', async (_name, headers) => {
    const answer = await mount(headers);
    expect(answer.status).toBe(403);
  });

  it('refuses a POST with no Origin (403)', async () => {
    const answer = await course.raw(
      '/__runner/mount',
      { 'content-type': 'application/json', 'x-runner-token': course.token },
      JSON.stringify({ page, files: {} }),
    );
    expect(answer.status).toBe(403);
  });

  it.each([`evil.example:PORT`, 'localhost.evil.com', 'localhost.evil.com:PORT'])(
    'refuses Host %s (DNS rebinding, 403)',
    async (host) => {
      const answer = await mount({ host: host.replace('PORT', String(course.port)) });
      expect(answer.status).toBe(403);
    },
  );

  /** The status line of a raw request, so headers can be sent twice. */
  const rawStatus = (lines: string[]) =>
    new Promise<string>((resolve) => {
      const socket = connect(course.port, '127.0.0.1', () =>
        socket.write(`${lines.join('\r\n')}\r\n\r\n`),
      );
      let answer = '';
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString();
        if (answer.includes('\r\n')) socket.destroy();
      });
      socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    });

  it.each([
    ['Host', `Host: evil.example:PORT`],
    ['Origin', 'Origin: https://evil.example'],
    ['Sec-Fetch-Site', 'Sec-Fetch-Site: cross-site'],
  ])('refuses the token to a request that sends %s twice (403)', async (_name, extra) => {
    const port = String(course.port);
    const status = await rawStatus([
      'POST /__runner/session HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Origin: ${course.origin}`,
      'Sec-Fetch-Site: same-origin',
      extra.replace('PORT', port),
      'Content-Length: 0',
      'Connection: close',
    ]);
    expect(status).toBe('HTTP/1.1 403 Forbidden');
  });

  it.each([
    ['NODE_OPTIONS preloading a file', { env: { NODE_OPTIONS: '--require /tmp/x.cjs' } }],
    ['LD_PRELOAD', { env: { LD_PRELOAD: '/tmp/x.so' } }],
    ['a lower-case port', { env: { port: '80' } }],
    ['an inspector on every interface', { args: ['--inspect=0.0.0.0:9229', 'a.js'] }],
    ['an inspector on its default port', { args: ['--inspect-brk', 'a.js'] }],
    // Node reads `_` as `-` in option names.
    ['--inspect_brk=', { args: ['--inspect_brk=127.0.0.1:9339', 'a.js'] }],
    ['--inspect_wait=', { args: ['--inspect_wait=9339', 'a.js'] }],
    ['--inspect_port=', { args: ['--inspect_port=9339', 'a.js'] }],
    ['--debug_port=', { args: ['--debug_port=9339', 'a.js'] }],
    ['an env file (it can set NODE_OPTIONS)', { args: ['--env-file=.env', 'a.js'] }],
    ['an env file, spelled with _', { args: ['--env_file_if_exists=.env', 'a.js'] }],
    ['an OpenSSL config file', { args: ['--openssl-config=/tmp/x.cnf', 'a.js'] }],
    ['OPENSSL_CONF (loads a native module)', { env: { OPENSSL_CONF: '/tmp/x.cnf' } }],
    ['NODE_EXTRA_CA_CERTS', { env: { NODE_EXTRA_CA_CERTS: '/tmp/x.pem' } }],
    ['GLIBC_TUNABLES', { env: { GLIBC_TUNABLES: 'glibc.malloc.check=3' } }],
    ['SVS_SANDBOX (the runner’s own marker)', { env: { SVS_SANDBOX: '/tmp' } }],
  ])('refuses to spawn with %s (400)', async (_name, options) => {
    const answer = await course.api('spawn', { page, command: 'node', args: ['a.js'], ...options });
    expect(answer.status).toBe(400);
  });

  it('accepts the course’s own variables and plain script arguments', async () => {
    const answer = await course.api('spawn', {
      page,
      command: 'node',
      args: ['a.js', 'inspect', '--port', '3'],
      env: { SVS_CHECK_NONCE: 'abc', NODE_ENV: 'test' },
      expectsServer: false,
    });
    expect(answer.status).toBe(200);
  });

  it('refuses a missing or wrong token (401)', async () => {
    const wrong = await mount({ 'x-runner-token': 'f'.repeat(64) });
    expect(wrong.status).toBe(401);
    const answer = await course.raw(
      '/__runner/mount',
      { origin: course.origin, 'content-type': 'application/json' },
      JSON.stringify({ page, files: {} }),
    );
    expect(answer.status).toBe(401);
  });

  it('never sends a CORS allow header, not even to the course origin', async () => {
    const answer = await course.raw('/__runner/session', { origin: course.origin });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control'))).toEqual(
      [],
    );
  });

  it('gives the token only to the course origin (a preview origin or a rebinding host gets 403)', async () => {
    const session = (headers: Record<string, string>) => course.raw('/__runner/session', headers);
    const preview = await session({ origin: 'http://127.0.0.1:45678' });
    expect(preview.status).toBe(403);
    expect(preview.text).not.toContain(course.token);
    const rebinding = await session({ origin: course.origin, host: `evil.example:${course.port}` });
    expect(rebinding.status).toBe(403);
    const sameSite = await session({ origin: course.origin, 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
  });

  it('hands the token to no program of another user, even one that sends the course’s Origin', async () => {
    // A runner that belongs to another account sees this test process as a stranger.
    const other = await createRunner({
      coursePort: course.port,
      ownerUid: (process.getuid?.() ?? 0) + 1,
      handleSignals: false,
    });
    const server = createServer((req, res) => {
      if (!other.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const answer = await post(port, '/__runner/session', {
        host: `127.0.0.1:${course.port}`,
        origin: course.origin,
      });
      expect(answer.status).toBe(403);
      expect(answer.text).toMatch(/only programs of the user who started it/);
    } finally {
      await other.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.runIf(process.getuid?.() === 0)(
    'a process running as another account gets no token (real second user)',
    async () => {
      const client = `fetch('http://127.0.0.1:${course.port}/__runner/session', { method: 'POST', headers: { origin: '${course.origin}' } }).then(async (r) => console.log(r.status + ' ' + (await r.text())))`;
      // Not execFileSync: this very process serves the runner and must keep answering.
      const { stdout: output } = await promisify(execFile)(process.execPath, ['-e', client], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
      });
      expect(output).toMatch(/^403 /);
      expect(output).not.toContain(course.token);
    },
  );

  it('the token is 32 random bytes', () => {
    expect(course.token).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('event stream handshake', () => {
    const url = () => `ws://127.0.0.1:${course.port}/__runner/stream`;
    const withToken = (token: string) => ['svs-runner.v1', `svs-token.${token}`];

    it('opens for the course origin with the token', async () => {
      expect(
        await handshakeStatus(url(), { origin: course.origin, protocols: withToken(course.token) }),
      ).toBe(101);
    });

    it('refuses a missing or wrong token (401)', async () => {
      expect(await handshakeStatus(url(), { origin: course.origin })).toBe(401);
      expect(
        await handshakeStatus(url(), {
          origin: course.origin,
          protocols: withToken('0'.repeat(64)),
        }),
      ).toBe(401);
    });

    it.each([['https://evil.example'], ['null'], [undefined]])(
      'refuses Origin %s (403)',
      async (origin) => {
        const status = await handshakeStatus(url(), {
          protocols: withToken(course.token),
          ...(origin ? { origin } : {}),
        });
        expect(status).toBe(403);
      },
    );

    it('refuses Host evil.example (403)', async () => {
      const status = await handshakeStatus(url(), {
        origin: course.origin,
        protocols: withToken(course.token),
        headers: { host: `evil.example:${course.port}` },
      });
      expect(status).toBe(403);
    });
  });
});
