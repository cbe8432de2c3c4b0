import { execFileSync, spawn } from 'node:child_process';
import {
  chmod,
  link,
  lstat,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxDir, UnsafePathError } from '../../../src/runner/sandbox-dir.ts';

describe('SandboxDir', () => {
  let parent: string;
  let outside: string;
  let dir: SandboxDir;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'svs-test-'));
    outside = await mkdtemp(join(tmpdir(), 'svs-outside-'));
    dir = await SandboxDir.create(parent);
  });
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('mount replaces the tree: new files written, old ones removed', async () => {
    await dir.mount({ 'old.js': '1', 'lib/a.js': '2' });
    await dir.mount({ 'server.js': 'hello', 'lib/b/c.js': 'deep' });
    expect((await readdir(dir.root)).sort()).toEqual(['lib', 'server.js']);
    expect(await readdir(join(dir.root, 'lib'))).toEqual(['b']);
    expect(await dir.readFile('lib/b/c.js', 1000)).toBe('deep');
  });

  it('refuses to write through a pre-planted symlink and writes nothing from the batch', async () => {
    await symlink(outside, join(dir.root, 'data'));
    await expect(dir.mount({ 'a.js': 'x', 'data/owned.txt': 'x' })).rejects.toThrow(
      UnsafePathError,
    );
    await expect(dir.writeFile('data/owned.txt', 'x')).rejects.toThrow(/symbolic link/);
    expect(await readdir(outside)).toEqual([]);
    expect(await readdir(dir.root)).toEqual(['data']);
  });

  it('refuses to read through a symlink to a file outside', async () => {
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await symlink(join(outside, 'secret.txt'), join(dir.root, 'secret.txt'));
    await expect(dir.readFile('secret.txt', 1000)).rejects.toThrow(/symbolic link/);
  });

  it('mount removes a stray symlink instead of following it', async () => {
    await writeFile(join(outside, 'keep.txt'), 'keep');
    await symlink(outside, join(dir.root, 'stray'));
    await dir.mount({ 'server.js': '' });
    expect(await readdir(dir.root)).toEqual(['server.js']);
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('keep');
  });

  // Sandbox code runs as the learner and can make these itself (fs.linkSync, `mkfifo`).
  it('writing over a hard link made by sandbox code leaves the linked file outside untouched', async () => {
    await writeFile(join(outside, 'notes.txt'), 'mine');
    await link(join(outside, 'notes.txt'), join(dir.root, 'notes.txt'));
    await dir.writeFile('notes.txt', 'from the page');
    await dir.mount({ 'notes.txt': 'mounted' });
    expect(await readFile(join(outside, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir.root, 'notes.txt'), 'utf8')).toBe('mounted');
  });

  it('refuses to read a hard link to a file outside', async () => {
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await link(join(outside, 'secret.txt'), join(dir.root, 'copy.txt'));
    await expect(dir.readFile('copy.txt', 1000)).rejects.toThrow(/hard link/);
  });

  it('refuses to read a FIFO instead of waiting forever for a writer', async () => {
    execFileSync('mkfifo', [join(dir.root, 'pipe')]);
    await expect(dir.readFile('pipe', 1000)).rejects.toThrow(/not a regular file/);
  });

  it('replaces a FIFO with a plain file when the page writes to it', async () => {
    execFileSync('mkfifo', [join(dir.root, 'pipe')]);
    await dir.writeFile('pipe', 'text');
    expect((await lstat(join(dir.root, 'pipe'))).isFile()).toBe(true);
    expect(await dir.readFile('pipe', 1000)).toBe('text');
  });

  it('a folder swapped for a symlink again and again never lets a write, read or mount reach outside', async () => {
    await writeFile(join(outside, 'secret.txt'), 'outside secret');
    await writeFile(join(outside, 'keep.txt'), 'outside keep');
    await writeFile(join(outside, 'other.txt'), 'outside other');
    await dir.mount({ 'd/secret.txt': 'inside secret', 'd/keep.txt': 'inside keep' });
    // Sandbox code flipping `d` between its real folder and a symlink to the outside folder.
    const swapper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs');
        process.chdir(${JSON.stringify(dir.root)});
        const parent = process.ppid;
        // Ends with the test process even if the test is cut short.
        for (; process.ppid === parent; ) {
          try { fs.renameSync('d', 'd.real'); fs.symlinkSync(${JSON.stringify(outside)}, 'd'); } catch {}
          for (let i = 0; i < 200; i++);
          try { fs.unlinkSync('d'); fs.renameSync('d.real', 'd'); } catch {}
          for (let i = 0; i < 200; i++);
        }`,
      ],
      { stdio: 'ignore' },
    );
    const leaked: string[] = [];
    try {
      for (let round = 0; round < 300; round++) {
        await dir.writeFile('d/x.txt', 'from the page').catch(() => {});
        const read = await dir.readFile('d/secret.txt', 1000).catch(() => '');
        if (read === 'outside secret') leaked.push(`read in round ${round}`);
        await dir.mount({ 'd/keep.txt': 'mounted', 'd/secret.txt': 'inside' }).catch(() => {});
      }
    } finally {
      swapper.kill('SIGKILL');
    }
    expect(leaked).toEqual([]);
    expect((await readdir(outside)).sort()).toEqual(['keep.txt', 'other.txt', 'secret.txt']);
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('outside keep');
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside secret');
  }, 120_000);

  it('remove() deletes a tree that sandbox code made read-only', async () => {
    await dir.mount({ 'locked/inner/file.txt': 'x' });
    await chmod(join(dir.root, 'locked', 'inner'), 0o500);
    await chmod(join(dir.root, 'locked'), 0o500);
    expect(dir.remove()).toBeNull();
    expect(await readdir(parent)).toEqual([]);
  });
});
