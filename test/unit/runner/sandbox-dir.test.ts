import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
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
});
