import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_STAMP, buildStatus } from '../../../src/server/build-freshness.ts';

let root: string;
const dist = (): string => join(root, 'dist');
const setTime = (path: string, seconds: number): void => utimesSync(path, seconds, seconds);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'svs-fresh-'));
  mkdirSync(join(root, 'content', 'lessons'), { recursive: true });
  writeFileSync(join(root, 'content', 'lessons', '00-a.mdx'), 'x');
  setTime(join(root, 'content', 'lessons', '00-a.mdx'), 1_000);
  setTime(join(root, 'content', 'lessons'), 1_000);
  setTime(join(root, 'content'), 1_000);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function build(at: number): void {
  mkdirSync(dist(), { recursive: true });
  writeFileSync(join(dist(), 'index.html'), '');
  writeFileSync(join(dist(), BUILD_STAMP), '');
  setTime(join(dist(), BUILD_STAMP), at);
}

describe('npm start decides whether to build', () => {
  it('builds when there is no built site', () => {
    expect(buildStatus(root, dist())).toEqual({ fresh: false, reason: 'no built site yet' });
  });

  it('builds when an interrupted build left no stamp', () => {
    mkdirSync(dist(), { recursive: true });
    writeFileSync(join(dist(), 'index.html'), '');
    expect(buildStatus(root, dist()).fresh).toBe(false);
  });

  it('serves the existing build when nothing changed since', () => {
    build(2_000);
    expect(buildStatus(root, dist()).fresh).toBe(true);
  });

  it('rebuilds when a lesson changed after the build, naming what changed', () => {
    build(2_000);
    setTime(join(root, 'content', 'lessons', '00-a.mdx'), 3_000);
    expect(buildStatus(root, dist())).toEqual({
      fresh: false,
      reason: 'content changed since the last build',
    });
  });
});
