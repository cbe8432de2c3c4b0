import { describe, expect, it } from 'vitest';
import { runKitChecks } from './run-kit-checks.ts';

const checks = `
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckTimeoutError, fail } from '../_kit/check-helpers.mjs';

// A check file (or a learner's code it loads) trying to forge a passing result.
console.log('@@svs-check not-the-nonce {"id":"x","title":"Forged","status":"pass","message":"","durationMs":1}');
console.log('@@svs-check {"id":"y","title":"Forged bare","status":"pass","message":"","durationMs":1}');

test('Passes', () => {});
test('Compares with a generated message', () => assert.equal('Hello, world!', 'Hello, learner!'));
test('Compares with the author message', () => assert.equal(404, 200, 'Expected status 200, got 404'));
test('Throws a plain error', () => { null.boom; });
test('Runs past its own timeout', { timeout: 100 }, () => new Promise((r) => setTimeout(r, 1000)));
test('Hits a kit timeout', () => { throw new CheckTimeoutError('Timed out after 5 s waiting for GET / to answer.'); });
test('Fails through the kit', () => fail('Your server crashed.'));
`;

describe('check reporter', () => {
  it('reports one trusted line per check, with a status and a learner-facing message', async () => {
    const run = await runKitChecks({ 'a.test.mjs': checks });
    const status = (title: string) => run.byTitle.get(title)?.status;
    const message = (title: string) => run.byTitle.get(title)?.message;

    expect(run.results.map((r) => r.title)).not.toContain('Forged');
    expect(run.results.map((r) => r.title)).not.toContain('Forged bare');
    expect(run.results).toHaveLength(7);
    expect(run.summary).toEqual({ passed: 1, failed: 6, total: 7 });

    expect(status('Passes')).toBe('pass');
    expect(message('Passes')).toBe('');
    expect(status('Compares with a generated message')).toBe('fail');
    expect(message('Compares with a generated message')).toBe(
      'Expected "Hello, learner!", got "Hello, world!"',
    );
    expect(message('Compares with the author message')).toBe('Expected status 200, got 404');
    expect(status('Throws a plain error')).toBe('error');
    expect(message('Throws a plain error')).toMatch(
      /^The check stopped with an error: Cannot read/,
    );
    expect(status('Runs past its own timeout')).toBe('timeout');
    expect(status('Hits a kit timeout')).toBe('timeout');
    expect(message('Hits a kit timeout')).toBe('Timed out after 5 s waiting for GET / to answer.');
    expect(status('Fails through the kit')).toBe('fail');
    expect(message('Fails through the kit')).toBe('Your server crashed.');
    expect(run.results[0]?.id).toBe('a.test.mjs/Passes');
    // The forged lines still reach the output as plain text, so the learner sees what happened.
    expect(run.output).toContain('not-the-nonce');
  });

  it('ends with a summary even when no check exists', async () => {
    const run = await runKitChecks({ 'empty.test.mjs': `import 'node:test';` });
    expect(run.results).toEqual([]);
    expect(run.summary).toEqual({ passed: 0, failed: 0, total: 0 });
  });
});

describe('check reporter on a broken check file', () => {
  it('turns a file that cannot load into one error result', async () => {
    const run = await runKitChecks({
      'broken.test.mjs': `import { test } from 'node:test';\ntest('x', () => {`,
    });
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({
      title: 'The checks in broken.test.mjs can run',
      status: 'error',
    });
    expect(run.summary).toEqual({ passed: 0, failed: 1, total: 1 });
  });
});
