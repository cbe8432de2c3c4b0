/**
 * Checks for the JWT lab, all over HTTP: POST /login issues a token, GET /me verifies it. The
 * checks forge their own tokens with node:crypto, so they depend on your verify() only through
 * the answers GET /me gives. One file, so the results come back in the order the steps list them.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { CheckError, createClient, sleep, startServer, summarize } from '../_kit/check-helpers.mjs';

// A fresh 48-byte secret per run, so only a real signature check can tell good tokens from bad.
const SECRET = randomBytes(24).toString('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (input, secret) => createHmac('sha256', secret).update(input).digest('base64url');
function makeToken(header, payload, secret = SECRET) {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  return `${signingInput}.${secret ? hmac(signingInput, secret) : ''}`;
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

async function expectAccepted(token, what) {
  const res = await me(client, token);
  assert.equal(
    res.status,
    200,
    `Expected GET /me with ${what} to answer 200, got ${summarize(res)}`,
  );
  return res;
}

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

/** Waits (at most a second) until a new second has just begun, so `exp` comparisons are exact. */
async function startOfSecond() {
  const into = Date.now() % 1000;
  if (into > 100) await sleep(1000 - into + 5);
}

// Step 1: check the signature ---------------------------------------------------------------

test('A token from POST /login opens GET /me', async () => {
  const token = await loginAs(client, 'ada', { theme: 'dark' });
  const res = await expectAccepted(token, 'a fresh token from POST /login');
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
  const token = makeToken(HS256, freshClaims('mallory'), 'a-secret-the-server-does-not-know-0123');
  await expectRefused(token, 'a token signed with another secret');
});

test('A token signed over its segments exactly as sent is accepted', async () => {
  // Another issuer may format its JSON differently: spaces and a line break in the header.
  const header = Buffer.from('{"typ":"JWT",\r\n "alg":"HS256"}').toString('base64url');
  const payload = encode(freshClaims('joe'));
  const token = `${header}.${payload}.${hmac(`${header}.${payload}`, SECRET)}`;
  await expectAccepted(
    token,
    'a correctly signed token whose header JSON has spaces and a line break',
  );
});

// Step 2: refuse what you did not issue -----------------------------------------------------

test('A token whose header names another algorithm is refused with 401', async () => {
  const claims = freshClaims('admin');
  await expectRefused(
    makeToken({ alg: 'none', typ: 'JWT' }, claims, null),
    'a token whose header says "alg": "none" and whose signature is empty',
  );
  // The header must name the one algorithm you accept, even when the HMAC happens to match.
  for (const alg of ['none', 'HS512', 'hs256']) {
    await expectRefused(
      makeToken({ alg, typ: 'JWT' }, claims),
      `a token whose header says "alg": "${alg}" (with a valid HS256 signature)`,
    );
  }
});

test('A token without exactly three segments is refused with 401', async () => {
  const good = makeToken(HS256, freshClaims('ada'));
  const [header, payload, signature] = good.split('.');
  await expectRefused(`${good}.extra`, 'a valid token with a fourth segment ".extra" appended');
  await expectRefused(`${header}.${payload}`, 'a token with only two segments');
  await expectRefused(`${header}.${payload}.${signature}.`, 'a valid token followed by a dot');
});

test('A signature not written in canonical base64url is refused with 401', async () => {
  const good = makeToken(HS256, freshClaims('ada'));
  const [header, payload, signature] = good.split('.');
  // 32 bytes make 43 characters; the last one carries 2 bits that must be zero.
  const last = signature.at(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const twin = alphabet[alphabet.indexOf(last) | 1];
  const spellings = [
    [`${signature}=`, 'the signature with "=" padding added'],
    [signature.replace(/-/g, '+').replace(/_/g, '/'), 'the signature in standard base64 (+ and /)'],
    [
      `${signature.slice(0, -1)}${twin}`,
      `the signature's last character changed from ${last} to ${twin}`,
    ],
  ].filter(([spelled]) => spelled !== signature);
  for (const [spelled, what] of spellings) {
    await expectRefused(
      `${header}.${payload}.${spelled}`,
      `${what}, which decodes to the same bytes`,
    );
  }
});

test('A token without exp is refused with 401', async () => {
  await expectRefused(
    makeToken(HS256, { sub: 'ada', iat: nowSeconds() }),
    'a correctly signed token that has no exp claim',
  );
  await expectRefused(
    makeToken(HS256, { sub: 'ada', exp: String(nowSeconds() + 600) }),
    'a correctly signed token whose exp is a string',
  );
});

// Step 3: time -----------------------------------------------------------------------------

test('An expired token is refused with 401', async () => {
  const claims = { sub: 'ada', iat: nowSeconds() - 1200, exp: nowSeconds() - 300 };
  await expectRefused(
    makeToken(HS256, claims),
    'a correctly signed token whose exp passed 5 minutes ago',
  );
});

test('A token works until the second before exp and is refused from exp on', async () => {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await startOfSecond();
    const now = nowSeconds();
    await expectAccepted(
      makeToken(HS256, { sub: 'ada', iat: now - 60, exp: now + 1 }),
      `a token whose exp is the next second (exp ${now + 1}, sent at ${now})`,
    );
    await expectRefused(
      makeToken(HS256, { sub: 'ada', iat: now - 60, exp: now }),
      `a token whose exp is this very second (exp ${now}, sent at ${now})`,
    );
  }
});

test('A token that was accepted is refused once it expires', async () => {
  await startOfSecond();
  const exp = nowSeconds() + 2;
  const token = makeToken(HS256, { sub: 'ada', iat: exp - 60, exp });
  await expectAccepted(token, `a token that expires at ${exp}`);
  // Wait for the clock to pass exp, then ask again with the very same token.
  while (Date.now() < exp * 1000 + 100) await sleep(exp * 1000 + 100 - Date.now());
  await expectRefused(
    token,
    `the same token again at ${nowSeconds()}, now that its exp ${exp} has come`,
  );
});

// Step 4: share nothing but the secret -----------------------------------------------------

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

test('The server refuses to start with a secret shorter than 32 bytes', async () => {
  const short = 'only-31-bytes-of-secret-1234567';
  let server;
  try {
    // Exiting or listening both end the wait at once; the long limit only spares a slow start on a
    // busy machine from reading as a server that did neither.
    server = await startServer({ env: { JWT_SECRET: short }, readyTimeoutMs: 15000 });
  } catch (error) {
    if (error instanceof CheckError) return; // it exited instead of listening: what we want
    throw error;
  }
  await server.stop();
  assert.fail(
    `Your server started with JWT_SECRET="${short}" (${Buffer.byteLength(short)} bytes). An HS256 key needs at least 32 bytes (256 bits); exit with an error instead.`,
  );
});

// Secrets people actually ship, including every default this lab has ever had.
const GUESSES = [
  'secret',
  'changeme',
  'change-me',
  'password',
  'jwt-secret',
  'your-256-bit-secret',
  'dev-only-secret-change-me',
  'my-secret-key',
  'supersecret',
  'shhhhh',
  'keyboard cat',
  '0123456789abcdef0123456789abcdef',
];

test('Without JWT_SECRET, tokens are not signed with a guessable secret', async () => {
  let server;
  try {
    server = await startServer({ env: { JWT_SECRET: '' }, readyTimeoutMs: 15000 });
  } catch (error) {
    if (error instanceof CheckError) return; // refusing to start without a secret is fine too
    throw error;
  }
  const token = await loginAs(createClient(server), 'ada');
  const [header, payload, signature] = token.split('.');
  const found = GUESSES.find((guess) => hmac(`${header}.${payload}`, guess) === signature);
  assert.equal(
    found,
    undefined,
    `Started without JWT_SECRET, your server signed a token with the secret "${found}": trying ${GUESSES.length} common secrets found it, and with it anyone can mint tokens for any user.`,
  );
});
