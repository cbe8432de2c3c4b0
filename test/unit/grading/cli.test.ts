import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
let root: string;

function write(file: string, contents: string) {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, contents);
}

const manifest = (hints: string[]) =>
  JSON.stringify({
    title: 'A test lab',
    run: ['node', 'server.js'],
    open: ['server.js'],
    kit: ['check-helpers'],
    hints: Object.fromEntries(hints.map((h) => [h, 'A hint that nudges you along.'])),
  });

const server = (reply: string) => `
require('node:http')
  .createServer((req, res) => res.end(${JSON.stringify(reply)}))
  .listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1');`;

const replyChecks = `
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, startServer } from '../_kit/check-helpers.mjs';
for (const name of ['One', 'Two', 'Three']) {
  test(name, async () => {
    const res = await createClient(await startServer()).get('/');
    assert.equal(res.text, 'right', 'Expected the reply "right", got "' + res.text + '"');
  });
}`;

function grade(...args: string[]): Promise<{ code: number; stdout: string }> {
  const tsx = path.join(repo, 'node_modules/.bin/tsx');
  return new Promise((resolve) => {
    execFile(
      tsx,
      [path.join(repo, 'src/grading/cli.ts'), '--root', root, ...args],
      (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
    );
  });
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'svs-grade-test-'));
  cpSync(path.join(repo, 'sandboxes/_kit'), path.join(root, '_kit'), {
    recursive: true,
    filter: (src) => !src.endsWith('.test.ts'),
  });

  write('good-lab/sandbox.json', manifest(['One', 'Two', 'Three']));
  write('good-lab/starter/server.js', server('wrong'));
  write('good-lab/solution/server.js', server('right'));
  write('good-lab/checks/reply.test.mjs', replyChecks);

  // Same lab, but the "solution" gives the wrong reply and one hint is missing.
  write('broken-lab/sandbox.json', manifest(['One', 'Two']));
  write('broken-lab/starter/server.js', server('wrong'));
  write('broken-lab/solution/server.js', server('wrong'));
  write('broken-lab/checks/reply.test.mjs', replyChecks);

  write('bad-manifest/sandbox.json', JSON.stringify({ title: 'x', run: ['python', 'app.py'] }));

  // A check that waits forever: only the deadline can end it.
  write('hung-lab/sandbox.json', manifest(['Waits']));
  write('hung-lab/starter/server.js', server('x'));
  write('hung-lab/solution/server.js', server('x'));
  write(
    'hung-lab/checks/wait.test.mjs',
    `import { test } from 'node:test';\ntest('Waits', () => new Promise(() => setInterval(() => {}, 1000)));`,
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run grade', () => {
  it('passes a sound lab and exits 0', async () => {
    const { code, stdout } = await grade('good-lab');
    expect(stdout).toMatch(/good-lab\s+3\s+3\/3 pass\s+0\/3 pass/);
    expect(code).toBe(0);
  });

  it('exits non-zero and names every lab that breaks a rule, and why', async () => {
    const { code, stdout } = await grade('--deadline', '2');
    expect(code).toBe(1);
    expect(stdout).toContain('broken-lab: the solution fails 3 check(s)');
    expect(stdout).toContain('Expected the reply "right", got "wrong"');
    expect(stdout).toContain('broken-lab: sandbox.json has no hint for the check "Three"');
    expect(stdout).toMatch(/bad-manifest: .*bad-manifest\/sandbox\.json is not a valid manifest/);
    expect(stdout).toContain('run: the command must start with "node"');
    expect(stdout).toContain('hung-lab: the solution run hit the deadline');
    expect(stdout).not.toMatch(/good-lab:/);
  });
});
