import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createClient, fail, startServer, summarize } from '../_kit/check-helpers.mjs';
import { measure } from '../_kit/measure.mjs';

let server;
before(async () => {
  server = await startServer({ readyTimeoutMs: 15000 });
});

const ALICE = { user: 'alice', password: 'wonderland' };

/** A browser-like client: its own cookie jar, and same-origin POSTs unless told otherwise. */
function browser() {
  return createClient(server);
}

async function post(client, path, body, headers = {}) {
  return client.request('POST', path, { body, headers });
}

/** `status` is one code or a list of acceptable ones. */
async function expectStatus(resPromise, status, what) {
  const res = await resPromise;
  const allowed = [status].flat();
  if (!allowed.includes(res.status)) {
    fail(`${what}: expected ${allowed.join(' or ')}, got ${summarize(res)}`);
  }
  return res;
}

/** An anonymous visitor who picked a theme: returns their client and pre-login session id. */
async function anonymousVisitor(theme = 'dark') {
  const client = browser();
  await expectStatus(post(client, '/settings', { theme }), 200, 'POST /settings as a new visitor');
  const sid = client.cookies.get('sid');
  if (!sid)
    fail('POST /settings for a new visitor should start a session, but no sid cookie came back.');
  return { client, sid };
}

async function meWith(sid) {
  return createClient(server).get('/me', { headers: { cookie: `sid=${sid}` } });
}

test('Logging in issues a new session id', async () => {
  const { client, sid } = await anonymousVisitor();
  const res = await expectStatus(post(client, '/login', ALICE), 200, 'POST /login as alice');
  const issued = res.setCookies.find((c) => c.name === 'sid');
  assert.ok(
    issued && issued.value && issued.value !== sid,
    `Before login the visitor's sid was ${sid.slice(0, 8)}…; the login answer ${issued ? `set sid=${issued.value.slice(0, 8)}… again` : 'set no sid cookie'}. Expected a brand-new id at login.`,
  );
});

test('A session id from before login is refused afterwards', async () => {
  // An attacker gets a session id, then plants it in the victim's browser before the victim logs in.
  const { sid: planted } = await anonymousVisitor('light');
  const victim = browser();
  victim.setCookie('sid', planted);
  await expectStatus(post(victim, '/login', ALICE), 200, 'The victim logs in');
  const res = await meWith(planted);
  assert.equal(
    res.status,
    401,
    `The attacker kept the id they planted before the victim logged in. GET /me with it answered ${summarize(res)}; expected 401. That is session fixation.`,
  );
});

test('A theme chosen before login carries over to the logged-in session', async () => {
  const { client } = await anonymousVisitor('dark');
  await expectStatus(post(client, '/login', ALICE), 200, 'POST /login as alice');
  const res = await expectStatus(client.get('/me'), 200, 'GET /me after login');
  assert.equal(
    res.json().theme,
    'dark',
    `The visitor chose "dark" before logging in; after login GET /me says ${res.text}. Copy the data into the new session.`,
  );
});

test('After logout, a copied session id gets 401', async () => {
  const client = browser();
  await expectStatus(post(client, '/login', ALICE), 200, 'POST /login as alice');
  const copied = client.cookies.get('sid');
  await expectStatus(post(client, '/logout', {}), [200, 204], 'POST /logout');
  const res = await meWith(copied);
  assert.equal(
    res.status,
    401,
    `Someone who had copied the session id before logout sent GET /me and got ${summarize(res)}; expected 401. Clearing the cookie in one browser does not end the session on the server.`,
  );
});

test('Logout tells the browser to delete the cookie (Max-Age=0)', async () => {
  const client = browser();
  await expectStatus(post(client, '/login', ALICE), 200, 'POST /login as alice');
  const res = await expectStatus(post(client, '/logout', {}), [200, 204], 'POST /logout');
  const cleared = res.setCookies.find((c) => c.name === 'sid');
  assert.ok(
    cleared && cleared.attributes['max-age'] === '0',
    `Expected the logout answer to set sid with Max-Age=0; it ${cleared ? `set sid with ${JSON.stringify(cleared.attributes)}` : 'set no sid cookie'}.`,
  );
});

test('A POST whose Origin is another site gets 403 and changes nothing', async () => {
  const client = browser();
  await expectStatus(post(client, '/login', ALICE), 200, 'POST /login as alice');
  await expectStatus(post(client, '/settings', { theme: 'light' }), 200, 'POST /settings');
  const origins = ['https://evil.example', `${server.url}.evil.example`, 'null'];
  const answers = [];
  for (const origin of origins) {
    answers.push(await post(client, '/settings', { theme: 'hacked' }, { origin }));
  }
  measure('cross-site-posts-accepted', answers.filter((r) => r.status < 400).length, 'requests');
  for (const [i, origin] of origins.entries()) {
    const res = answers[i];
    assert.equal(
      res.status,
      403,
      `A POST /settings with Origin: ${origin} (a page on another site) got ${summarize(res)}; expected 403.`,
    );
  }
  const me = await expectStatus(client.get('/me'), 200, 'GET /me');
  assert.equal(
    me.json().theme,
    'light',
    `The refused requests still changed the theme: ${me.text}`,
  );
});

test('A POST marked Sec-Fetch-Site: cross-site gets 403', async () => {
  const client = browser();
  await expectStatus(post(client, '/login', ALICE), 200, 'POST /login as alice');
  const headers = { 'sec-fetch-site': 'cross-site' };
  const res = await post(client, '/logout', {}, headers);
  assert.equal(
    res.status,
    403,
    `A POST /logout marked Sec-Fetch-Site: cross-site (and no Origin) got ${summarize(res)}; expected 403.`,
  );
  await expectStatus(client.get('/me'), 200, 'GET /me after the refused cross-site logout');
});

test('Same-origin POSTs, and clients that send neither header, still work', async () => {
  const client = browser();
  await expectStatus(
    post(client, '/login', ALICE),
    200,
    'POST /login with no Origin or Sec-Fetch-Site (like curl)',
  );
  await expectStatus(
    post(client, '/settings', { theme: 'dark' }, { origin: server.url }),
    200,
    `POST /settings with Origin: ${server.url}, this server's own origin,`,
  );
  await expectStatus(
    post(
      client,
      '/settings',
      { theme: 'light' },
      { 'sec-fetch-site': 'same-origin', origin: server.url },
    ),
    200,
    'POST /settings with Sec-Fetch-Site: same-origin',
  );
});
