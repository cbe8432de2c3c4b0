import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCourse, type Course, type TestPage } from './harness.ts';

describe('runner file API', () => {
  let course: Course;
  let page: TestPage;
  beforeAll(async () => {
    course = await startCourse();
    page = await course.openPage();
  });
  afterAll(() => course.close());

  const mount = (files: Record<string, string>) => course.api('mount', { page: page.id, files });
  /** What sandbox code would find at `path` (the runner has no file-reading API of its own). */
  const read = async (path: string): Promise<{ status: 200 | 404; contents?: string }> => {
    const reader =
      'try { process.stdout.write(require("node:fs").readFileSync(process.argv[1], "utf8")) } catch { process.exit(44) }';
    const spawned = await course.api('spawn', {
      page: page.id,
      command: 'node',
      args: ['-e', reader, path],
      expectsServer: false,
    });
    const id = String(spawned.body['process']);
    const { code } = await page.next('exit', (event) => event.process === id);
    return code === 44 ? { status: 404 } : { status: 200, contents: page.output(id) };
  };

  it('mounts files, replacing the whole tree', async () => {
    expect((await mount({ 'server.js': 'one', 'lib/a.js': 'two' })).status).toBe(200);
    expect(await read('lib/a.js')).toEqual({ status: 200, contents: 'two' });
    expect((await mount({ 'lib/a.js': 'three' })).status).toBe(200);
    expect(await read('lib/a.js')).toEqual({ status: 200, contents: 'three' });
    expect((await read('server.js')).status).toBe(404);
  });

  it('has no API to read or write single files (the page only ever mounts a tree)', async () => {
    expect((await course.api('read', { page: page.id, path: 'lib/a.js' })).status).toBe(404);
    expect((await course.api('write', { page: page.id, path: 'x.js', contents: 'x' })).status).toBe(
      404,
    );
  });

  it.each(['../x', 'a/../../x', '/etc/x', 'C:\\x', '..\\x', 'a\u0000b'])(
    'refuses the whole batch when one path is %j, writing nothing',
    async (badPath) => {
      const answer = await mount({ 'fresh.js': 'should not appear', [badPath]: 'x' });
      expect(answer.status).toBe(400);
      expect(String(answer.body['error'])).toMatch(/path|name/);
      expect((await read('fresh.js')).status).toBe(404);
    },
  );

  it('refuses a 10 MB file (413: over the body cap)', async () => {
    const answer = await mount({ 'fresh.js': 'x', 'big.js': 'x'.repeat(10 * 1024 * 1024) });
    expect(answer.status).toBe(413);
    expect((await read('fresh.js')).status).toBe(404);
  });

  it('refuses a file over the per-file cap even when the body fits', async () => {
    const answer = await mount({ 'fresh.js': 'x', 'big.js': 'x'.repeat(600 * 1024) });
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toMatch(/larger than/);
    expect((await read('fresh.js')).status).toBe(404);
  });

  it('refuses 10,000 files, writing none of them', async () => {
    const files = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}.js`, '']));
    const answer = await mount(files);
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toMatch(/too many files/);
    expect((await read('f0.js')).status).toBe(404);
  });

  it('answers 400, not a server error, for a name too long for the disk', async () => {
    const answer = await mount({ ['\u00e9'.repeat(200)]: 'x' });
    expect(answer.status).toBe(400);
  });

  it('refuses malformed JSON (400)', async () => {
    const answer = await course.api('mount', '{"page": "x", "files": {');
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toBe('malformed JSON');
  });

  it('refuses to write through a symlink planted by sandbox code', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'svs-outside-'));
    try {
      await mount({
        'plant.js': `require('node:fs').symlinkSync(${JSON.stringify(outside)}, 'data');`,
      });
      const spawned = await course.api('spawn', {
        page: page.id,
        command: 'node',
        args: ['plant.js'],
        expectsServer: false,
      });
      expect(spawned.status).toBe(200);
      await page.next('exit', (event) => event.process === spawned.body['process']);
      const batch = await mount({ 'plant.js': '', 'data/owned.js': 'x' });
      expect(batch.status).toBe(400);
      expect(batch.body['error']).toMatch(/symbolic link/);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
