/**
 * Talk to the kit's store (_kit/store.mjs) from your server, with the method names of the
 * `redis` npm package (node-redis), so the code carries over to a real Redis. Node built-ins only.
 *
 *   import { createStore } from './_kit/store-client.mjs';            // ESM
 *   const { createStore } = await import('./_kit/store-client.mjs');  // from CommonJS
 *   const store = createStore(process.env.STORE_URL);
 *
 *   await store.set('session:ab12', JSON.stringify(session), { EX: 1800 })   // -> 'OK'
 *   await store.get('session:ab12')              // -> the value, or null
 *   await store.set('lock:7', 'me', { NX: true, PX: 500 })   // -> 'OK', or null if it existed
 *   await store.incr('visits')  ·  store.incrBy('stock:tea', -1)  ·  store.del('a', 'b')
 *   await store.expire(key, 60) · store.ttl(key) · store.exists(key) · store.mGet(['a', 'b'])
 *   await store.hSet('cart:7', 'tea', 2) · store.hSet('cart:7', { tea: 2, jam: 1 })
 *   await store.hGet('cart:7', 'tea') · store.hDel('cart:7', 'tea') · store.hGetAll('cart:7')
 *   await store.cas('stock:tea', 5, 4)           // compare-and-set: 1 if it was still 5, else 0
 *   await store.sendCommand(['SET', 'k', 'v', 'NX'])   // any command, as Redis spells it
 * Lower-case names (incrby, mget, hgetall) work too, as in ioredis. The old calls still work:
 * set(key, value, { ttlSeconds }), delete(key), keys().
 *
 * When the store is down (stopped, refusing, or silent past `timeoutMs`), a call rejects with a
 * StoreUnavailableError (`error.code === 'STORE_UNAVAILABLE'`): answer 503 when you catch it.
 * After a failed connection the client waits before trying again (50 ms, doubling up to 500 ms),
 * failing calls at once meanwhile, so a dead store costs your server nothing. No call ever
 * crashes your process through an unhandled rejection, even one you forgot to await.
 */
import http from 'node:http';

export class StoreUnavailableError extends Error {
  constructor(message, reason) {
    super(message);
    this.name = 'StoreUnavailableError';
    this.code = 'STORE_UNAVAILABLE';
    this.reason = reason;
  }
}

/** A Redis error reply ("ERR …", "WRONGTYPE …"): the store is up, the command was wrong. */
export class StoreCommandError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StoreCommandError';
    this.code = 'STORE_COMMAND';
  }
}

const BACKOFF_FIRST_MS = 50;
const BACKOFF_MAX_MS = 500;

/** node-redis style options object -> Redis argument words. */
function setOptions(options) {
  if (!options || typeof options !== 'object') return [];
  const words = [];
  if (options.NX) words.push('NX');
  if (options.XX) words.push('XX');
  if (options.EX !== undefined) words.push('EX', options.EX);
  if (options.PX !== undefined) words.push('PX', options.PX);
  if (options.ttlSeconds !== undefined)
    words.push('PX', Math.max(1, Math.round(options.ttlSeconds * 1000)));
  if (options.KEEPTTL) words.push('KEEPTTL');
  if (options.GET) words.push('GET');
  return words;
}

const flat = (keys) => (Array.isArray(keys[0]) ? keys[0] : keys);

export function createStore(baseUrl, { timeoutMs = 2000 } = {}) {
  if (!baseUrl) {
    throw new Error(
      'createStore needs the store address: pass process.env.STORE_URL (is the store running?)',
    );
  }
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 30_000 });
  const link = { down: false, since: 0, backoffMs: 0, nextTryAt: 0, why: '' };

  const unavailable = (why) =>
    new StoreUnavailableError(`The store at ${base.origin} is unavailable (${why}).`, why);

  function markDown(why) {
    const now = Date.now();
    if (!link.down) {
      console.error(
        `[store-client] lost the store at ${base.origin} (${why}); calls fail until it is back`,
      );
      Object.assign(link, { down: true, since: now, backoffMs: BACKOFF_FIRST_MS });
    } else link.backoffMs = Math.min(link.backoffMs * 2, BACKOFF_MAX_MS);
    link.nextTryAt = now + link.backoffMs;
    link.why = why;
  }

  function markUp() {
    if (!link.down) return;
    link.down = false;
    console.error(`[store-client] reconnected to the store at ${base.origin}`);
  }

  function post(argv, retried = false) {
    return new Promise((resolve, reject) => {
      const payload = JSON.stringify(argv);
      const req = http.request(base, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      );
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', reject);
      });
      req.on('error', (error) => {
        // A kept-alive socket the store closed while idle: Node's documented case for one retry.
        if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) {
          post(argv, true).then(resolve, reject);
        } else reject(error);
      });
      req.end(payload);
    });
  }

  async function call(argv) {
    if (link.down && Date.now() < link.nextTryAt) {
      throw unavailable(`${link.why}; next try in ${link.nextTryAt - Date.now()} ms`);
    }
    let answer;
    try {
      answer = await post(argv);
    } catch (error) {
      if (error.code === 'TIMEOUT') throw unavailable(`no answer within ${timeoutMs} ms`);
      markDown(error.code || error.message);
      throw unavailable(link.why);
    }
    markUp();
    let body;
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw new StoreCommandError(
        `ERR the store answered ${answer.status} with ${answer.text.slice(0, 100)}`,
      );
    }
    if (body.error !== undefined) throw new StoreCommandError(body.error);
    return body.ok;
  }

  /** Every call goes through here: its promise is marked handled, so a forgotten await is safe. */
  const send = (argv) => {
    const promise = call(argv);
    promise.catch(() => {});
    return promise;
  };

  const client = {
    sendCommand: (argv) => send(argv),
    ping: () => send(['PING']),
    get: (key) => send(['GET', key]),
    set: (key, value, ...options) => {
      if (value === undefined) {
        const refused = Promise.reject(
          new StoreCommandError(`store.set("${key}", undefined): use store.del to remove a key`),
        );
        refused.catch(() => {});
        return refused;
      }
      const words = typeof options[0] === 'object' ? setOptions(options[0]) : options;
      return send(['SET', key, value, ...words]);
    },
    cas: (key, expected, next, options) =>
      send(['CAS', key, expected, next, ...setOptions(options)]),
    del: (...keys) => send(['DEL', ...flat(keys)]),
    exists: (...keys) => send(['EXISTS', ...flat(keys)]),
    type: (key) => send(['TYPE', key]),
    mGet: (...keys) => send(['MGET', ...flat(keys)]),
    mSet: (pairs) =>
      send(['MSET', ...(Array.isArray(pairs) ? pairs.flat() : Object.entries(pairs).flat())]),
    incr: (key) => send(['INCR', key]),
    incrBy: (key, by) => send(['INCRBY', key, by]),
    decr: (key) => send(['DECR', key]),
    decrBy: (key, by) => send(['DECRBY', key, by]),
    expire: (key, seconds, mode) => send(['EXPIRE', key, seconds, ...(mode ? [mode] : [])]),
    pExpire: (key, ms, mode) => send(['PEXPIRE', key, ms, ...(mode ? [mode] : [])]),
    persist: (key) => send(['PERSIST', key]),
    ttl: (key) => send(['TTL', key]),
    pTTL: (key) => send(['PTTL', key]),
    hGet: (key, field) => send(['HGET', key, field]),
    hSet: (key, field, value) =>
      send([
        'HSET',
        key,
        ...(typeof field === 'object' && field !== null
          ? Object.entries(field).flat()
          : [field, value]),
      ]),
    hDel: (key, ...fields) => send(['HDEL', key, ...flat(fields)]),
    hGetAll: (key) => send(['HGETALL', key]),
    hIncrBy: (key, field, by) => send(['HINCRBY', key, field, by]),
    keys: (pattern = '*') => send(['KEYS', pattern]),
    dbSize: () => send(['DBSIZE']),
    flushAll: () => send(['FLUSHALL']),
    /** The old name for del, kept so earlier labs keep working. */
    delete: (key) => send(['DEL', key]).then(() => undefined),
    /** Nothing to close but idle sockets; here so code written for node-redis runs unchanged. */
    quit: async () => agent.destroy(),
    disconnect: async () => agent.destroy(),
    get isDown() {
      return link.down;
    },
  };
  for (const name of Object.keys(client)) {
    if (name === 'isDown') continue;
    const lower = name.toLowerCase();
    if (!(lower in client)) client[lower] = client[name];
  }
  return client;
}
