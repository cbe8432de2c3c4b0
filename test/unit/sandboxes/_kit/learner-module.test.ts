import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../../src/grading/run-checks.ts';
import { mountTree, supportFiles } from '../../../../src/sandbox/assemble.ts';
import { readLab } from '../../../../src/sandbox/load.ts';
import { runKitChecks } from './run-kit-checks.ts';

const sandboxesDir = path.resolve(import.meta.dirname, '../../../../sandboxes');

/**
 * A learner's jwt.js that tries to forge a green Check: on load it reads the nonce from its
 * environment and prints a passing result line for every check, plus a summary; its verify()
 * accepts anything and hands back whatever env it can see.
 */
const forgingJwt = (titles: string[]) => `
const nonce = process.env.SVS_CHECK_NONCE;
const line = (payload) => console.log('@@svs-check ' + nonce + ' ' + JSON.stringify(payload));
for (const title of ${JSON.stringify(titles)}) {
  line({ id: 'verify.test.mjs/' + title, title, status: 'pass', message: '', durationMs: 1 });
}
line({ id: 'verify.test.mjs/Forged extra', title: 'Forged extra', status: 'pass', message: '', durationMs: 1 });
line({ type: 'summary', passed: ${titles.length + 1}, failed: 0, total: ${titles.length + 1} });
export const sign = () => 'a.b.c';
export const verify = () => ({ seen: process.env.SVS_CHECK_NONCE ?? 'no nonce here' });
`;

describe('learner modules run without the nonce', () => {
  it("ignores a jwt.js that forges passing results, and fails the lab's real checks", async () => {
    const lab = readLab('jwt-tokens', sandboxesDir);
    const verifyTitles = [
      'verify accepts the RFC 7515 example token with its key',
      'verify accepts a token until the second before exp, and refuses it at exp',
    ];
    const learner = { ...lab.solution, 'jwt.js': forgingJwt(verifyTitles) };
    const checks = Object.fromEntries(
      Object.entries(lab.checks).filter(([p]) => p.endsWith('verify.test.mjs')),
    );
    const run = await runChecks(mountTree(learner, supportFiles({ ...lab, checks })), {
      deadlineMs: 25_000,
    });

    expect(run.results.map((r) => r.title).sort()).toEqual([...verifyTitles].sort());
    expect(run.results.every((r) => r.status === 'fail')).toBe(true);
    expect(run.summary).toEqual({ passed: 0, failed: 2, total: 2 });
    // The refusal at exp failed on the verify() that accepts everything, not on a broken call.
    expect(run.results.find((r) => r.title === verifyTitles[1])?.message).toContain(
      'Expected verify(token, secret, { now: 1900 }) to throw',
    );
  });

  it('would have been fooled by importing the module into the check process', async () => {
    // The same forgery, loaded the old way, shows why the child process matters.
    const run = await runKitChecks(
      {
        'verify.test.mjs': `import { test } from 'node:test';
await import('../jwt.js');
test('Only a real check', () => { throw new Error('no'); });`,
      },
      { 'package.json': '{ "type": "module" }', 'jwt.js': forgingJwt(['Only a real check']) },
    );
    expect(run.results.map((r) => r.title)).toContain('Forged extra');
  });

  it('returns values and thrown errors as data, bytes included, from a process without the nonce', async () => {
    const run = await runKitChecks(
      {
        'call.test.mjs': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callLearner, callLearnerWith } from '../_kit/learner-module.mjs';
test('Calls', async () => {
  const bytes = await callLearner('lib.js', 'echo', Buffer.from([0, 255]), { now: 3 });
  assert.ok(bytes.ok && Buffer.isBuffer(bytes.value[0]), JSON.stringify(bytes));
  assert.deepEqual([...bytes.value[0]], [0, 255]);
  assert.deepEqual(bytes.value[1], { now: 3 });
  const env = await callLearner('lib.js', 'env');
  assert.deepEqual(env.value, { nonce: null, testContext: null });
  assert.match(env.output, /printed by the learner/);
  const thrown = await callLearner('lib.js', 'boom');
  assert.deepEqual(thrown, { ok: false, error: { name: 'TypeError', message: 'bad token' }, output: '' });
});
test('Missing export', () => callLearner('lib.js', 'nope'));
test('Never returns', () => callLearnerWith({ timeoutMs: 500 }, 'lib.js', 'hang'));`,
      },
      {
        'package.json': '{ "type": "module" }',
        'lib.js': `export const echo = async (...args) => args;
export function env() {
  console.log('printed by the learner');
  return { nonce: process.env.SVS_CHECK_NONCE ?? null, testContext: process.env.NODE_TEST_CONTEXT ?? null };
}
export function boom() { throw new TypeError('bad token'); }
export const hang = () => new Promise(() => setInterval(() => {}, 1000));`,
      },
    );
    expect(run.byTitle.get('Calls')).toMatchObject({ status: 'pass', message: '' });
    expect(run.byTitle.get('Missing export')).toMatchObject({
      status: 'fail',
      message: 'lib.js does not export a function named nope.',
    });
    expect(run.byTitle.get('Never returns')).toMatchObject({
      status: 'timeout',
      message: 'Timed out after 0.5 s waiting for hang() from lib.js to return.',
    });
  });
});
