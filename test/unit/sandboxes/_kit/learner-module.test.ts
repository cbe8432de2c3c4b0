import { describe, expect, it } from 'vitest';
import { runKitChecks } from './run-kit-checks.ts';

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
  it('ignores a jwt.js that forges passing results when a check calls into it', async () => {
    const title = 'verify refuses a token with a bad signature';
    const run = await runKitChecks(
      {
        'verify.test.mjs': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callLearner } from '../_kit/learner-module.mjs';
test(${JSON.stringify(title)}, async () => {
  const outcome = await callLearner('jwt.js', 'verify', 'a.b.c', 'secret');
  // The module ran without the nonce: it could not even see it.
  assert.deepEqual(outcome.value, { seen: 'no nonce here' });
  assert.equal(outcome.ok, false, 'Expected verify to throw for a bad signature, but it returned');
});`,
      },
      { 'package.json': '{ "type": "module" }', 'jwt.js': forgingJwt([title]) },
    );
    // Only the real check counts, and it fails: the forged lines (with no nonce) were ignored.
    expect(run.results.map((r) => r.title)).toEqual([title]);
    expect(run.summary).toEqual({ passed: 0, failed: 1, total: 1 });
    expect(run.byTitle.get(title)?.message).toContain('Expected verify to throw');
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
