import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStore, createClient, summarize } from '../_kit/check-helpers.mjs';
import { launchServer } from './process.mjs';

const K1 = { kid: 'k1', secret: 'first-key-0123456789abcdef0123456789' };
const K2 = { kid: 'k2', secret: 'second-key-0123456789abcdef012345678' };
let storeUrl;
before(async () => {
  storeUrl = (await startStore()).url;
});

const kidOf = (token) =>
  JSON.parse(Buffer.from(String(token).split('.')[0], 'base64url').toString('utf8')).kid;

async function tokenFrom(server, user) {
  const res = await createClient(server.url).post('/token', { user });
  assert.equal(res.status, 200, `POST /token should answer 200, got ${summarize(res)}`);
  return res.json().token;
}

const whoami = (server, token) =>
  createClient(server.url).get('/whoami', { headers: { authorization: `Bearer ${token}` } });

test('During a key rotation old tokens keep working, and stop once the old key is retired', async () => {
  const server = await launchServer({ STORE_URL: storeUrl, JWT_KEYS: JSON.stringify([K1]) });
  const old = await tokenFrom(server, 'ana');
  assert.equal(
    kidOf(old),
    'k1',
    `With JWT_KEYS=[k1], a new token's header should name kid "k1", got ${JSON.stringify(kidOf(old))}`,
  );

  await server.restart({ JWT_KEYS: JSON.stringify([K2, K1]) });
  const during = await whoami(server, old);
  assert.equal(
    during.status,
    200,
    `During the overlap (JWT_KEYS=[k2, k1]) a token signed with k1 should still work, got ${summarize(during)}`,
  );
  const fresh = await tokenFrom(server, 'ben');
  assert.equal(
    kidOf(fresh),
    'k2',
    `During the overlap new tokens should be signed with the first key, k2; got kid ${JSON.stringify(kidOf(fresh))}`,
  );
  assert.equal(
    (await whoami(server, fresh)).status,
    200,
    'A token signed with k2 should work during the overlap',
  );

  await server.restart({ JWT_KEYS: JSON.stringify([K2]) });
  const retired = await whoami(server, old);
  assert.equal(
    retired.status,
    401,
    `After k1 is retired (JWT_KEYS=[k2]) its tokens should get 401, got ${summarize(retired)}`,
  );
  const [header, payload] = fresh.split('.');
  const unknown = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'k9' })).toString(
    'base64url',
  );
  const forged = await whoami(server, `${unknown}.${payload}.${fresh.split('.')[2]}`);
  assert.equal(
    forged.status,
    401,
    `A token naming an unknown kid "k9" should get 401, got ${summarize(forged)}`,
  );
  assert.ok(header, 'token has a header');
});
