import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  liveProcessesInGroup,
  openPage,
  startCourse,
  waitFor,
  type Course,
  type TestPage,
} from './harness.ts';

/** A tiny server that says who it is, like the learner's first lab. */
const HELLO = `require('node:http').createServer((req, res) => res.end('hello from ' + process.env.SVS_NAME))
  .listen(Number(process.env.PORT), process.env.HOST);`;

/** Starts a child that outlives nothing: prints its own and its child's pid, then idles. */
const PARENT_WITH_CHILD = `const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('pids ' + process.pid + ' ' + child.pid);
setInterval(() => {}, 1000);`;

function fetchText(
  url: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    }).on('error', reject);
  });
}

describe('runner processes and previews', () => {
  let course: Course;
  beforeAll(async () => {
    course = await startCourse({
      // Long enough for 20 servers to answer on a busy machine, short enough for the hang test.
      previewTimeoutMs: 3_000,
      readyHintMs: 300,
      maxOutputBytes: 64 * 1024,
      pageGraceMs: 300,
    });
  });
  afterAll(() => course.close());

  async function run(
    page: TestPage,
    files: Record<string, string>,
    spawn: Record<string, unknown> = {},
  ) {
    expect((await course.api('mount', { page: page.id, files })).status).toBe(200);
    const answer = await course.api('spawn', {
      page: page.id,
      command: 'node',
      args: [Object.keys(files)[0]],
      ...spawn,
    });
    expect(answer.status).toBe(200);
    return answer.body as { process: string; ports: number[] };
  }

  it('starts a server on the PORT it was given and serves its preview with isolation headers', async () => {
    const page = await course.openPage();
    const { process: id, ports } = await run(
      page,
      { 'server.js': HELLO },
      { env: { SVS_NAME: 'one' } },
    );
    const ready = await page.next('ready', (event) => event.process === id);
    expect(ready.port).toBe(ports[0]);
    expect(new URL(ready.url).hostname).toBe('127.0.0.1');
    expect(new URL(ready.url).port).not.toBe(String(course.port));
    const answer = await fetchText(ready.url);
    expect(answer.text).toBe('hello from one');
    expect(answer.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(answer.headers['cross-origin-resource-policy']).toBe('cross-origin');
    // The course frames its previews, so the course pages' framing refusal must not reach them.
    expect(answer.headers['content-security-policy']).toBeUndefined();
    expect(answer.headers['x-frame-options']).toBeUndefined();
  });

  it('kills an endless loop at its deadline and leaves no process behind', async () => {
    const page = await course.openPage();
    const { process: id } = await run(
      page,
      { 'loop.js': 'console.log("pid " + process.pid); for (;;) {}' },
      { deadlineMs: 1000, expectsServer: false },
    );
    const exit = await page.next('exit', (event) => event.process === id);
    expect(exit.code).not.toBe(0);
    expect(page.output(id)).toContain('ran longer than 1 s');
    const pid = Number(/pid (\d+)/.exec(page.output(id))![1]);
    expect(await liveProcessesInGroup(pid)).toEqual([]);
  });

  it('truncates an output flood with a visible marker', async () => {
    const page = await course.openPage();
    const { process: id } = await run(
      page,
      {
        'flood.js':
          'const line = "x".repeat(1000) + "\\n"; for (let i = 0; i < 2000; i++) process.stdout.write(line);',
      },
      { expectsServer: false },
    );
    await page.next('exit', (event) => event.process === id);
    const output = page.output(id);
    expect(output).toContain('[Output truncated by the course runner after 64 KB');
    expect(output.length).toBeLessThan(70 * 1024);
  });

  it('says so when a server never listens, and sends no ready event', async () => {
    const page = await course.openPage();
    const { process: id } = await run(page, { 'idle.js': 'setInterval(() => {}, 1000);' });
    await page.next(
      'output',
      (event) => event.process === id && event.data.includes('Nothing is listening'),
    );
    expect(page.output(id)).toContain('listen(process.env.PORT)');
    expect((await course.api('kill', { page: page.id, process: id })).status).toBe(200);
    expect(page.events.some((event) => event.type === 'ready')).toBe(false);
  });

  it('answers 502 when the server crashes mid-request', async () => {
    const page = await course.openPage();
    const { process: id } = await run(page, {
      'crash.js': `require('node:http').createServer(() => process.exit(1)).listen(Number(process.env.PORT), process.env.HOST);`,
    });
    const ready = await page.next('ready', (event) => event.process === id);
    const answer = await fetchText(ready.url);
    expect(answer.status).toBe(502);
    expect(answer.text).toContain('crash');
    await page.next('exit', (event) => event.process === id);
    expect((await fetchText(ready.url)).status).toBe(502);
  });

  it('answers 504 when the server hangs', async () => {
    const page = await course.openPage();
    const { process: id } = await run(page, {
      'hang.js': `require('node:http').createServer(() => {}).listen(Number(process.env.PORT), process.env.HOST);`,
    });
    const ready = await page.next('ready', (event) => event.process === id);
    const answer = await fetchText(ready.url);
    expect(answer.status).toBe(504);
    expect(answer.text).toContain('res.end()');
  });

  it('refuses a preview of a port it did not allocate', async () => {
    const page = await course.openPage();
    const { ports } = await run(page, { 'server.js': HELLO });
    const ok = await course.api('preview', { page: page.id, port: ports[0] });
    expect(ok.status).toBe(200);
    for (const port of [course.port, 22, ports[0]! + 1]) {
      const refused = await course.api('preview', { page: page.id, port });
      expect(refused.status).toBe(403);
    }
    const otherPage = await course.openPage();
    expect((await course.api('preview', { page: otherPage.id, port: ports[0] })).status).toBe(403);
  });

  it('hands extra ports to a balancer as SVS_PORTS', async () => {
    const page = await course.openPage();
    const { process: id, ports } = await run(
      page,
      {
        'env.js':
          'console.log(process.env.PORT + "|" + process.env.HOST + "|" + process.env.SVS_PORTS)',
      },
      { extraPorts: 3, expectsServer: false },
    );
    await page.next('exit', (event) => event.process === id);
    expect(ports).toHaveLength(4);
    expect(new Set(ports).size).toBe(4);
    expect(page.output(id).trim()).toBe(`${ports[0]}|127.0.0.1|${ports.slice(1).join(',')}`);
  });

  it('passes stdin to the process', async () => {
    const page = await course.openPage();
    const { process: id } = await run(
      page,
      {
        'echo.js':
          'process.stdin.once("data", (d) => { console.log("got " + d); process.exit(0); });',
      },
      { expectsServer: false },
    );
    expect((await course.api('stdin', { page: page.id, process: id, data: 'kill 2' })).status).toBe(
      200,
    );
    const exit = await page.next('exit', (event) => event.process === id);
    expect(exit.code).toBe(0);
    expect(page.output(id)).toContain('got kill 2');
  });

  it('kill stops the whole process group, children included', async () => {
    const page = await course.openPage();
    const { process: id } = await run(
      page,
      { 'parent.js': PARENT_WITH_CHILD },
      { expectsServer: false },
    );
    await page.next('output', (event) => event.process === id && event.data.includes('pids'));
    const [leader, child] = /pids (\d+) (\d+)/.exec(page.output(id))!.slice(1).map(Number);
    expect(await liveProcessesInGroup(leader!)).toContain(String(child));
    await course.api('kill', { page: page.id, process: id });
    expect(await liveProcessesInGroup(leader!)).toEqual([]);
  });

  it('kills a page’s processes after it disconnects for longer than the grace period', async () => {
    const page = await course.openPage();
    const { process: id } = await run(
      page,
      { 'parent.js': PARENT_WITH_CHILD },
      { expectsServer: false },
    );
    await page.next('output', (event) => event.process === id && event.data.includes('pids'));
    const leader = Number(/pids (\d+)/.exec(page.output(id))![1]);
    page.socket.close();
    // The page is forgotten once the grace period is over, and its processes stopped.
    await waitFor(
      'the page is forgotten',
      async () => (await course.api('teardown', { page: page.id })).status === 404,
    );
    await waitFor(
      'its processes are gone',
      async () => (await liveProcessesInGroup(leader)).length === 0,
      5_000,
    );
  });

  it('keeps a page’s processes when it reconnects within the grace period', async () => {
    const page = await course.openPage();
    const { process: id } = await run(page, { 'server.js': HELLO });
    await page.next('ready', (event) => event.process === id);
    page.socket.close();
    const again = await openPage(
      `ws://127.0.0.1:${course.port}/__runner/stream`,
      course.origin,
      course.token,
      page.id,
    );
    expect(again.id).toBe(page.id);
    const killed = await course.api('kill', { page: page.id, process: id });
    expect(killed.status).toBe(200);
    await again.next('exit', (event) => event.process === id);
    again.socket.close();
  });

  it('runs 20 sandboxes at once, each on its own port', async () => {
    const pages = await Promise.all(Array.from({ length: 20 }, () => course.openPage()));
    const started = await Promise.all(
      pages.map((page, i) =>
        run(page, { 'server.js': HELLO }, { env: { SVS_NAME: `sandbox ${i}` } }),
      ),
    );
    expect(new Set(started.map((entry) => entry.ports[0])).size).toBe(20);
    const readies = await Promise.all(
      pages.map((page, i) => page.next('ready', (event) => event.process === started[i]!.process)),
    );
    const answers = await Promise.all(readies.map((ready) => fetchText(ready.url)));
    expect(answers.map((answer) => answer.text)).toEqual(
      pages.map((_, i) => `hello from sandbox ${i}`),
    );
    await Promise.all(pages.map((page) => course.api('teardown', { page: page.id })));
  }, 120_000);
});
