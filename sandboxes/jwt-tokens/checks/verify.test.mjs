import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fail } from '../_kit/check-helpers.mjs';
import { callLearner } from '../_kit/learner-module.mjs';

// These checks call sign() and verify() from your jwt.js, in a process of their own: your code
// never runs where check results are written.
async function verifies(...args) {
  const outcome = await callLearner('jwt.js', 'verify', ...args);
  return outcome.ok ? { payload: outcome.value } : { error: outcome.error };
}

async function sign(...args) {
  const outcome = await callLearner('jwt.js', 'sign', ...args);
  if (!outcome.ok)
    fail(`Expected sign() to return a token, but it threw "${outcome.error.message}"`);
  return outcome.value;
}

// RFC 7515, appendix A.1: an HS256 token and its key. Its header JSON contains a line break
// and spaces, so only a signature computed over the segments as received will match.
const RFC_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_KEY = Buffer.from(
  'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
  'base64url',
);

test('verify accepts the RFC 7515 example token with its key', async () => {
  const { payload, error } = await verifies(RFC_TOKEN, RFC_KEY, { now: 1300819379 });
  assert.ok(
    !error,
    `Expected verify(RFC token, key bytes, { now: 1300819379 }) to return the payload, but it threw "${error?.message}". Does it sign the header and payload segments exactly as received, and accept a Buffer secret?`,
  );
  assert.deepEqual(
    payload,
    { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true },
    `Expected the RFC token's payload, got ${JSON.stringify(payload)}`,
  );
});

test('verify accepts a token until the second before exp, and refuses it at exp', async () => {
  const token = await sign({ sub: 'ada', iat: 1000, exp: 1900 }, 'a-test-secret');
  const before = await verifies(token, 'a-test-secret', { now: 1899 });
  assert.ok(
    !before.error,
    `Expected verify(token, secret, { now: 1899 }) to accept a token with exp 1900, but it threw "${before.error?.message}"`,
  );
  const at = await verifies(token, 'a-test-secret', { now: 1900 });
  assert.ok(
    at.error,
    `Expected verify(token, secret, { now: 1900 }) to throw for a token with exp 1900, but it returned ${JSON.stringify(at.payload)}`,
  );
});
