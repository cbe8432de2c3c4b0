import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, startCourse, waitFor, type Course, type TestPage } from './harness.ts';

/** A server that ignores the `shutdown` line and SIGTERM: only SIGKILL ends it. */
const STUBBORN = `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
process.stdin.on('data', () => console.log('ignoring shutdown'));
require('node:http').createServer((req, res) => res.end('up')).listen(Number(process.env.PORT), process.env.HOST);`;

/** Exits cleanly as soon as it reads `shutdown`, like the kit's processes. */
const POLITE = `process.stdin.on('data', (d) => { if (String(d).includes('shutdown')) { console.log('bye'); process.exit(0); } });
console.log('listening for shutdown');
setInterval(() => {}, 1000);`;

/** Listens on a port of its own and ignores SIGTERM, as a learner's helper server might. */
const SERVE = `process.on('SIGTERM', () => {});
const s = require('node:http').createServer((q, r) => r.end('still here'));
s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));`;

/** Starts one child with fork and one with spawn({ detached: true }), which leaves the group. */
const FAMILY = `const { fork, spawn } = require('node:child_process');
const forked = fork('./serve.js', [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const detached = spawn(process.execPath, ['serve.js'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
detached.unref();
console.log('pids ' + forked.pid + ' ' + detached.pid);
setInterval(() => {}, 1000);`;

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('stopping sandbox processes', () => {
  let course: Course;
  beforeAll(async () => {
    course = await startCourse({ maxStdinBytes: 64 * 1024, maxSandboxBytes: 2 * 1024 * 1024 });
  });
  afterAll(() => course.close());

  async function run(
    page: TestPage,
    file: string,
    code: string,
    spawn: object = {},
    more: Record<string, string> = {},
  ) {
    const files = { [file]: code, ...more };
    expect((await course.api('mount', { page: page.id, files })).status).toBe(200);
    const answer = await course.api('spawn', {
      page: page.id,
      command: 'node',
      args: [file],
      ...spawn,
    });
    expect(answer.status).toBe(200);
    return answer.body as { process: string; ports: number[] };
  }

  it('a server that ignores shutdown and SIGTERM is gone within 3 s of Stop', async () => {
    const page = await course.openPage();
    const { process: id, ports } = await run(page, 'stubborn.js', STUBBORN);
    await page.next('ready', (event) => event.process === id);
    const started = Date.now();
    const stopped = await course.api('stop', { page: page.id, process: id });
    expect(stopped.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(page.output(id)).toContain('ignoring shutdown');
    expect(await portAnswers(ports[0]!)).toBe(false);
  });

  it('Stop sends a shutdown line first, so a process that honours it exits cleanly', async () => {
    const page = await course.openPage();
    const { process: id } = await run(page, 'polite.js', POLITE, { expectsServer: false });
    await page.next('output', (event) => event.process === id && /listening/.test(event.data));
    const stopped = await course.api('stop', { page: page.id, process: id });
    expect(stopped.body).toEqual({ code: 0 });
    expect(page.output(id)).toContain('bye');
  });

  it('children started with fork and with spawn({ detached: true }) do not outlive Stop', async () => {
    const page = await course.openPage();
    const { process: id } = await run(
      page,
      'family.js',
      FAMILY,
      { expectsServer: false },
      { 'serve.js': SERVE },
    );
    await page.next(
      'output',
      () => (page.output(id).match(/port \d+/g) ?? []).length === 2 && /pids/.test(page.output(id)),
    );
    const [forked, detached] = /pids (\d+) (\d+)/.exec(page.output(id))!.slice(1).map(Number);
    const ports = [...page.output(id).matchAll(/port (\d+)/g)].map((match) => Number(match[1]));
    expect(await Promise.all(ports.map(portAnswers))).toEqual([true, true]);
    await course.api('stop', { page: page.id, process: id });
    await waitFor(
      'both children are gone',
      () => !isRunning(forked!) && !isRunning(detached!),
      3_000,
    );
    expect(await Promise.all(ports.map(portAnswers))).toEqual([false, false]);
  });

  it('a detached child of a program that already ended does not outlive its page', async () => {
    const page = await course.openPage();
    const code = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' }); c.unref(); console.log('child ' + c.pid);`;
    const { process: id } = await run(page, 'daemon.js', code, { expectsServer: false });
    await page.next('exit', (event) => event.process === id);
    const child = Number(/child (\d+)/.exec(page.output(id))![1]);
    await waitFor('the detached child is gone', () => !isRunning(child), 3_000);
  });

  it('refuses stdin beyond the cap for a process that does not read it (413), and keeps running', async () => {
    const page = await course.openPage();
    const { process: id } = await run(page, 'deaf.js', 'setInterval(() => {}, 1000);', {
      expectsServer: false,
    });
    // The kernel's pipe takes the first ~200 KB; the cap is on what the runner holds beyond that.
    const chunk = 'x'.repeat(64 * 1024);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        (await course.api('stdin', { page: page.id, process: id, data: chunk })).status,
      );
    expect(statuses).toContain(413);
    const refused = await course.api('stdin', { page: page.id, process: id, data: chunk });
    expect(refused.body['error']).toMatch(/not reading its input/);
    expect((await course.api('stop', { page: page.id, process: id })).status).toBe(200);
  });

  it('refuses a tree past the per-sandbox byte cap (413), naming the cap, and keeps the old one', async () => {
    const small = await startCourse({ maxSandboxBytes: 1024 * 1024 });
    try {
      const page = await small.openPage();
      const big = 'x'.repeat(400 * 1024);
      const tree = (count: number) =>
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`big${i}.txt`, big]));
      expect((await small.api('mount', { page: page.id, files: tree(2) })).status).toBe(200);
      const refused = await small.api('mount', { page: page.id, files: tree(3) });
      expect(refused.status).toBe(413);
      expect(refused.body['error']).toMatch(/at most 1 MB/);
      // Replacing the tree does not add up: the same two files mount again.
      expect((await small.api('mount', { page: page.id, files: tree(2) })).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('SVS_NODE_BINARY', () => {
  it('names the node binary sandbox processes run with', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'svs-node-binary-'));
    const wrapper = join(folder, 'node-wrapper');
    writeFileSync(
      wrapper,
      `#!/bin/sh\necho "started by the wrapper"\nexec "${process.execPath}" "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    process.env['SVS_NODE_BINARY'] = wrapper;
    let course: Course | undefined;
    try {
      course = await startCourse();
      const page = await course.openPage();
      await course.api('mount', { page: page.id, files: { 'a.js': 'console.log("ran a.js")' } });
      const { body } = await course.api('spawn', {
        page: page.id,
        command: 'node',
        args: ['a.js'],
        expectsServer: false,
      });
      await page.next('exit', (event) => event.process === body['process']);
      expect(page.output(String(body['process']))).toBe('started by the wrapper\nran a.js\n');
    } finally {
      delete process.env['SVS_NODE_BINARY'];
      await course?.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses to start with a SVS_NODE_BINARY that is not an executable file, naming it', async () => {
    process.env['SVS_NODE_BINARY'] = '/no/such/node';
    try {
      await expect(startCourse()).rejects.toThrow(/SVS_NODE_BINARY is "\/no\/such\/node"/);
    } finally {
      delete process.env['SVS_NODE_BINARY'];
    }
  });
});
