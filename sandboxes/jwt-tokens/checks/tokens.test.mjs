import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { createClient, startServer, summarize } from '../_kit/check-helpers.mjs';

// A fresh secret per run, so only a real signature check can tell good tokens from bad ones.
const SECRET = `check-secret-${randomBytes(8).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

// The checks build their own tokens, so they don't depend on your sign().
const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
function makeToken(header, payload, secret) {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = secret
    ? createHmac('sha256', secret).update(signingInput).digest('base64url')
    : '';
  return `${signingInput}.${signature}`;
}
const HS256 = { alg: 'HS256', typ: 'JWT' };
const freshClaims = (sub) => ({ sub, iat: nowSeconds(), exp: nowSeconds() + 600 });

let client;
before(async () => {
  client = createClient(await startServer({ env: { JWT_SECRET: SECRET } }));
});

async function loginAs(someClient, user, extra = {}) {
  const res = await someClient.post('/login', { user, ...extra });
  assert.equal(res.status, 200, `Expected POST /login to answer 200, got ${summarize(res)}`);
  const { token } = res.json();
  assert.ok(
    typeof token === 'string' && token.split('.').length === 3,
    `Expected POST /login to answer {"token": "header.payload.signature"}, got ${summarize(res)}`,
  );
  return token;
}

const me = (someClient, token) =>
  someClient.get('/me', { headers: { authorization: `Bearer ${token}` } });

async function expectRefused(token, what) {
  const res = await me(client, token);
  assert.equal(
    res.status,
    401,
    `Expected GET /me with ${what} to answer 401, got ${summarize(res)}`,
  );
  const body = res.json();
  assert.ok(
    body && typeof body.error === 'string',
    `Expected the 401 to carry a JSON body like {"error": "..."}, got ${summarize(res)}`,
  );
}

test('A token from POST /login opens GET /me', async () => {
  const token = await loginAs(client, 'ada', { theme: 'dark' });
  const res = await me(client, token);
  assert.equal(
    res.status,
    200,
    `Expected GET /me with a fresh token to answer 200, got ${summarize(res)}`,
  );
  const body = res.json();
  assert.equal(body.sub, 'ada', `Expected "sub": "ada" in the answer, got ${summarize(res)}`);
  assert.equal(body.theme, 'dark', `Expected "theme": "dark" in the answer, got ${summarize(res)}`);
});

test('A token whose payload was edited is refused with 401', async () => {
  const token = await loginAs(client, 'ada');
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const forged = `${header}.${encode({ ...claims, sub: 'admin' })}.${signature}`;
  await expectRefused(
    forged,
    'a token whose sub was changed from "ada" to "admin" (signature kept)',
  );
});

test('A token signed with a different secret is refused with 401', async () => {
  const token = makeToken(HS256, freshClaims('mallory'), 'a-secret-the-server-does-not-know');
  await expectRefused(token, 'a token signed with another secret');
});

test('An expired token is refused with 401', async () => {
  const claims = { sub: 'ada', iat: nowSeconds() - 1200, exp: nowSeconds() - 300 };
  const token = makeToken(HS256, claims, SECRET);
  await expectRefused(token, 'a correctly signed token whose exp passed 5 minutes ago');
});

test('A token whose header says alg "none" is refused with 401', async () => {
  const none = { alg: 'none', typ: 'JWT' };
  await expectRefused(
    makeToken(none, freshClaims('admin'), undefined),
    'a token whose header says "alg": "none" and whose signature is empty',
  );
  // The header must agree with the one algorithm you accept, even if the HMAC happens to match.
  await expectRefused(
    makeToken(none, freshClaims('admin'), SECRET),
    'a token whose header says "alg": "none" (even though it carries a valid HS256 signature)',
  );
});

test('A token from one instance is accepted by another with the same secret', async () => {
  const first = createClient(await startServer({ env: { JWT_SECRET: SECRET } }));
  const second = createClient(await startServer({ env: { JWT_SECRET: SECRET } }));
  const token = await loginAs(first, 'grace');
  const res = await me(second, token);
  assert.equal(
    res.status,
    200,
    `Expected a second instance with the same JWT_SECRET to accept the first one's token, got ${summarize(res)}`,
  );
  assert.equal(res.json().sub, 'grace', `Expected "sub": "grace", got ${summarize(res)}`);
});
