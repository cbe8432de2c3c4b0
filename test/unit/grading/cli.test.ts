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
      // The running Node only: `npm run grade` itself covers Node 22 for every lab.
      [path.join(repo, 'src/grading/cli.ts'), '--root', root, '--node', 'current', ...args],
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

  // A lab whose checks folder exists but holds no check.
  write('empty-checks/sandbox.json', manifest(['One']));
  write('empty-checks/starter/server.js', server('wrong'));
  write('empty-checks/solution/server.js', server('right'));
  mkdirSync(path.join(root, 'empty-checks/checks'), { recursive: true });

  // Mutants and variants: learner files plus a one-line WHY, laid over the solution.
  write('alt-lab/sandbox.json', manifest(['One', 'Two', 'Three']));
  write('alt-lab/starter/server.js', server('wrong'));
  write('alt-lab/solution/server.js', server('right'));
  write('alt-lab/checks/reply.test.mjs', replyChecks);
  write('alt-lab/mutants/says-wrong/server.js', server('wrong'));
  write('alt-lab/mutants/says-wrong/WHY', 'Thinks any reply will do.\n');
  write('alt-lab/mutants/escapes/server.js', server('right'));
  write('alt-lab/mutants/escapes/WHY', 'Written to slip past the checks.');
  write('alt-lab/variants/same/server.js', server('right'));
  write('alt-lab/variants/same/WHY', 'Identical, so it must pass.');
  write('alt-lab/variants/broken/server.js', server('wrong'));
  write('alt-lab/variants/broken/WHY', 'Claims to be correct but is not.');

  // Alternatives that break the folder convention.
  write('bad-alt-lab/sandbox.json', manifest(['One', 'Two', 'Three']));
  write('bad-alt-lab/starter/server.js', server('wrong'));
  write('bad-alt-lab/solution/server.js', server('right'));
  write('bad-alt-lab/checks/reply.test.mjs', replyChecks);
  write('bad-alt-lab/mutants/no-why/server.js', server('wrong'));
  write('bad-alt-lab/variants/extra-file/server.js', server('right'));
  write('bad-alt-lab/variants/extra-file/helper.js', 'module.exports = 1;');
  write('bad-alt-lab/variants/extra-file/WHY', 'Adds a helper module.');
  write('bad-alt-lab/variants/only-why/WHY', 'Forgot the files.');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

// Each test starts the grader, which starts Node processes per check run: slow on a busy machine.
describe('npm run grade', { timeout: 120_000 }, () => {
  it('passes a sound lab and exits 0', async () => {
    const { code, stdout } = await grade('good-lab');
    expect(stdout).toMatch(/good-lab\s+\d+\.\d+\.\d+\s+3\s+3\/3 pass\s+0\/3 pass/);
    expect(stdout).toMatch(/Graded 2 tree run\(s\) of 1 lab\(s\) on Node \S+ in \d+\.\d s/);
    expect(code).toBe(0);
  });

  it('exits non-zero and names every lab that breaks a rule, and why', async () => {
    const { code, stdout } = await grade(
      ...['good-lab', 'broken-lab', 'bad-manifest', 'hung-lab', 'empty-checks'],
      ...['--deadline', '20'],
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/broken-lab \(Node [\d.]+\): the solution fails 3 check\(s\)/);
    expect(stdout).toContain('Expected the reply "right", got "wrong"');
    expect(stdout).toContain('broken-lab: sandbox.json has no hint for the check "Three"');
    expect(stdout).toMatch(
      /bad-manifest: .*bad-manifest\/sandbox\.json is not a valid sandbox manifest/,
    );
    expect(stdout).toContain('run: the command must start with "node"');
    expect(stdout).toMatch(/hung-lab \(Node [\d.]+\): the run of the solution hit the deadline/);
    expect(stdout).not.toMatch(/• good-lab/);
    expect(stdout).toContain(
      'empty-checks: sandboxes/empty-checks/checks/ has no *.test.mjs file: lab "empty-checks"',
    );
  });

  it('fails when a mutant passes every check or a variant fails one, naming the folder', async () => {
    const { code, stdout } = await grade('alt-lab');
    expect(code).toBe(1);
    expect(stdout).toMatch(/alt-lab\s+\S+\s+3\s+3\/3 pass\s+0\/3 pass\s+1\/2 caught\s+1\/2 pass/);
    expect(stdout).toContain('sandboxes/alt-lab/mutants/escapes/ passes every check');
    expect(stdout).toContain(
      'sandboxes/alt-lab/variants/broken/ is a correct answer but fails 3 check(s)',
    );
    expect(stdout).not.toContain('says-wrong');
    expect(stdout).not.toMatch(/variants\/same/);
  });

  it('grades only the kinds of tree asked for', async () => {
    const { stdout } = await grade('alt-lab', '--only', 'mutants');
    expect(stdout).toMatch(/alt-lab\s+\S+\s+0\s+—\s+—\s+1\/2 caught\s+—/);
    expect(stdout).toContain('Graded 2 tree run(s)');
  });

  it('names the folder when a mutant or variant breaks the convention', async () => {
    const { code, stdout } = await grade('bad-alt-lab', '--only', 'solution');
    expect(code).toBe(1);
    expect(stdout).toContain('sandboxes/bad-alt-lab/mutants/no-why/WHY is missing or empty');
    expect(stdout).toContain(
      'sandboxes/bad-alt-lab/variants/extra-file/helper.js is not a learner file: sandboxes/bad-alt-lab/starter/helper.js does not exist',
    );
    expect(stdout).toContain(
      'sandboxes/bad-alt-lab/variants/only-why/ holds no learner file besides WHY',
    );
  });
});
