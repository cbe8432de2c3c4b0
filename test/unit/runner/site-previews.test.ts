import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCourse, type Course, type TestPage } from './harness.ts';

const COUNTER = `let n = 0;
require('node:http').createServer((req, res) => res.end(String(++n)))
  .listen(Number(process.env.PORT), process.env.HOST);`;

/** GET through the preview with a chosen Host (Node does not resolve `*.localhost` by itself). */
function getVia(url: string, host: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    })
      .on('error', reject)
      .end();
  });
}

describe('a lab’s preview: its own site, the same port across restarts', () => {
  let course: Course;
  let page: TestPage;
  beforeAll(async () => {
    course = await startCourse();
    page = await course.openPage();
    await course.api('mount', { page: page.id, files: { 'server.js': COUNTER } });
  });
  afterAll(() => course.close());

  async function start(site?: string) {
    const spawned = await course.api('spawn', {
      page: page.id,
      command: 'node',
      args: ['server.js'],
      ...(site ? { site } : {}),
    });
    expect(spawned.status).toBe(200);
    const id = String(spawned.body['process']);
    const ready = await page.next('ready', (event) => event.process === id);
    return { id, port: ready.port, url: ready.url };
  }

  async function stop(id: string) {
    await course.api('stdin', { page: page.id, process: id, data: 'shutdown\n' });
    await course.api('kill', { page: page.id, process: id });
    await page.next('exit', (event) => event.process === id);
  }

  it('keeps PORT and the preview origin across stop and start, on the course’s own site', async () => {
    const first = await start('server-cart');
    expect(new URL(first.url).hostname).toBe('127.0.0.1');
    const host = new URL(first.url).host;
    expect(await getVia(first.url, host)).toEqual({ status: 200, text: '1' });
    await stop(first.id);
    const second = await start('server-cart');
    expect(second.port).toBe(first.port);
    expect(second.url).toBe(first.url);
    // A fresh process behind the same origin: its own state, the browser's cookies kept.
    expect(await getVia(second.url, host)).toEqual({ status: 200, text: '1' });
    await stop(second.id);
  });

  it('answers only on its own lab’s host name, never another lab’s', async () => {
    const cart = await start('server-cart');
    const { port } = new URL(cart.url);
    expect((await getVia(cart.url, `stateless-api.localhost:${port}`)).status).toBe(403);
    expect((await getVia(cart.url, `127.0.0.1:${port}`)).status).toBe(200);
    await stop(cart.id);
    const other = await start('stateless-api');
    expect(other.port).not.toBe(cart.port);
    await stop(other.id);
  });

  it('refuses a site that is not a lab id', async () => {
    for (const site of ['Evil.example', 'a..b', '-x', 'x'.repeat(64), 'a/b']) {
      const answer = await course.api('spawn', {
        page: page.id,
        command: 'node',
        args: ['server.js'],
        site,
      });
      expect(answer.status, site).toBe(400);
    }
  });
});
