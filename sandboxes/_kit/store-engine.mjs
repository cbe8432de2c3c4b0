/**
 * The data and the commands of the kit's store, with no I/O: the server (store-server.mjs) feeds it
 * commands as arrays, `['SET', 'cart:7', '{"tea":2}', 'EX', 60]`, and sends back what it returns.
 * Node built-ins only; Node 20 and 22.
 *
 * Commands keep Redis's names, arguments, replies and error texts, so what a learner writes here
 * carries over to production. One difference: a value may be any JSON value, not only a string.
 * With a real Redis you would JSON.stringify an object before SET; here you may, or may not.
 *
 *   GET k · SET k v [NX|XX] [EX s|PX ms|KEEPTTL] [GET] · DEL k… · EXISTS k… · MGET k… · MSET k v…
 *   INCR k · INCRBY k n · DECR k · DECRBY k n · EXPIRE k s [NX|XX] · PEXPIRE k ms · PERSIST k
 *   TTL k · PTTL k · HGET k f · HSET k f v [f v…] · HDEL k f… · HGETALL k · HINCRBY k f n
 *   KEYS pattern · DBSIZE · FLUSHALL · PING · TYPE k
 *   CAS k expected new [EX s|PX ms]   compare-and-set: sets `new` only while the value is still
 *     `expected` (null: only while absent); replies 1 if it set, 0 if not. It stands for Redis's
 *     optimistic transaction, WATCH k / GET k / MULTI / SET k new / EXEC (or a two-line Lua
 *     script); Valkey 8.1 has it as `SET k new IFEQ expected`. Values compare as JSON text.
 *
 * Expiry follows Redis: SET without KEEPTTL clears a key's TTL; INCR, HSET and friends keep it;
 * EXPIRE with 0 or less deletes the key; TTL answers -2 for a missing key, -1 for one without TTL.
 * Expired keys are never returned, counted or listed (checked on access, and swept each second).
 *
 * One file on purpose, a little over 300 lines: the command table below is the store's whole
 * behaviour, and a reader comparing it with Redis's documentation should find it in one place.
 */

export const LIMITS = {
  /** Keys the store will hold; enough for a lab that creates 10,000 sessions, and then some. */
  maxKeys: 100_000,
  /** Bytes of one value (as JSON text) or of one hash field's value. */
  maxValueBytes: 1024 * 1024,
  /** Bytes of one key or hash field name. */
  maxKeyBytes: 1024,
};

export class StoreError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StoreError';
  }
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';

const arity = (name) =>
  new StoreError(`ERR wrong number of arguments for '${name.toLowerCase()}' command`);

function integer(value, message = NOT_INTEGER) {
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new StoreError(message);
  return n;
}

const textOf = (value) => JSON.stringify(value);
const bytes = (text) => Buffer.byteLength(text, 'utf8');

/** Redis glob: * ? [abc] and \ escapes. */
function globToRegExp(pattern) {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '\\' && i + 1 < pattern.length) source += `\\${pattern[++i]}`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** Parses the options after SET's value, or CAS's new value. */
function expiryOptions(name, args, allowed) {
  const options = { nx: false, xx: false, get: false, keepTtl: false, expiresAt: undefined };
  for (let i = 0; i < args.length; i += 1) {
    const word = String(args[i]).toUpperCase();
    if (!allowed.includes(word)) throw new StoreError(SYNTAX);
    if (word === 'EX' || word === 'PX') {
      if (options.expiresAt !== undefined || options.keepTtl || i + 1 >= args.length)
        throw new StoreError(SYNTAX);
      const amount = integer(args[++i]);
      if (amount <= 0) throw new StoreError(`ERR invalid expire time in '${name}' command`);
      options.expiresAt = Date.now() + (word === 'EX' ? amount * 1000 : amount);
    } else if (word === 'KEEPTTL') {
      if (options.expiresAt !== undefined) throw new StoreError(SYNTAX);
      options.keepTtl = true;
    } else options[word.toLowerCase()] = true;
  }
  if (options.nx && options.xx) throw new StoreError(SYNTAX);
  return options;
}

export function createEngine({ limits = LIMITS, onLimit = () => {} } = {}) {
  /** key -> { type: 'string'|'hash', value, expiresAt: number|null } */
  let data = new Map();

  const entry = (key) => {
    const found = data.get(key);
    if (found && found.expiresAt !== null && found.expiresAt <= Date.now()) {
      data.delete(key);
      return undefined;
    }
    return found;
  };
  const typed = (key, type) => {
    const found = entry(key);
    if (found && found.type !== type) throw new StoreError(WRONGTYPE);
    return found;
  };
  const refuse = (message) => {
    onLimit(message);
    throw new StoreError(message);
  };
  const checkKey = (key) => {
    if (typeof key !== 'string' || key === '')
      throw new StoreError('ERR keys are non-empty strings');
    if (bytes(key) > limits.maxKeyBytes)
      refuse(
        `ERR key too long: the store limits keys to ${limits.maxKeyBytes} bytes (maxKeyBytes)`,
      );
  };
  const checkValue = (value) => {
    if (value === undefined)
      throw new StoreError('ERR a value is required (undefined cannot be stored)');
    if (bytes(textOf(value)) > limits.maxValueBytes)
      refuse(
        `ERR value too large: the store limits one value to ${limits.maxValueBytes} bytes (maxValueBytes)`,
      );
  };
  const put = (key, record) => {
    checkKey(key);
    if (!entry(key) && data.size >= limits.maxKeys)
      refuse(
        `ERR too many keys: the store holds at most ${limits.maxKeys} keys (maxKeys). Is something creating a key per request?`,
      );
    data.set(key, record);
  };
  const counter = (key, by) => {
    const found = typed(key, 'string');
    const current = found ? integer(found.value) : 0;
    const next = current + by;
    if (!Number.isSafeInteger(next))
      throw new StoreError('ERR increment or decrement would overflow');
    put(key, { type: 'string', value: next, expiresAt: found ? found.expiresAt : null });
    return next;
  };
  const ttl = (key, unit) => {
    const found = entry(key);
    if (!found) return -2;
    if (found.expiresAt === null) return -1;
    const ms = found.expiresAt - Date.now();
    return unit === 'ms' ? ms : Math.round(ms / 1000);
  };
  const expire = (key, ms, flags) => {
    const found = entry(key);
    if (!found) return 0;
    const mode = flags.map((f) => String(f).toUpperCase());
    if (mode.some((m) => m !== 'NX' && m !== 'XX')) throw new StoreError(SYNTAX);
    if (mode.includes('NX') && found.expiresAt !== null) return 0;
    if (mode.includes('XX') && found.expiresAt === null) return 0;
    if (ms <= 0) data.delete(key);
    else found.expiresAt = Date.now() + ms;
    return 1;
  };

  /** name -> [minimum argument count, handler(args)] */
  const commands = {
    PING: [0, (a) => (a.length ? a[0] : 'PONG')],
    GET: [1, ([k]) => typed(k, 'string')?.value ?? null],
    SET: [
      2,
      ([k, v, ...rest]) => {
        const o = expiryOptions('set', rest, ['NX', 'XX', 'EX', 'PX', 'KEEPTTL', 'GET']);
        const found = o.get ? typed(k, 'string') : entry(k);
        const previous = found ? found.value : null;
        if ((o.nx && found) || (o.xx && !found)) return o.get ? previous : null;
        checkValue(v);
        const expiresAt = o.expiresAt ?? (o.keepTtl && found ? found.expiresAt : null);
        put(k, { type: 'string', value: v, expiresAt });
        return o.get ? previous : 'OK';
      },
    ],
    CAS: [
      3,
      ([k, expected, next, ...rest]) => {
        const o = expiryOptions('cas', rest, ['EX', 'PX']);
        const found = typed(k, 'string');
        const same = found
          ? expected !== null && textOf(found.value) === textOf(expected)
          : expected === null;
        if (!same) return 0;
        checkValue(next);
        put(k, { type: 'string', value: next, expiresAt: o.expiresAt ?? null });
        return 1;
      },
    ],
    DEL: [1, (keys) => keys.filter((k) => entry(k) && data.delete(k)).length],
    EXISTS: [1, (keys) => keys.filter((k) => entry(k)).length],
    TYPE: [1, ([k]) => entry(k)?.type ?? 'none'],
    MGET: [
      1,
      (keys) =>
        keys.map((k) => {
          const f = entry(k);
          return f && f.type === 'string' ? f.value : null;
        }),
    ],
    MSET: [
      2,
      (args) => {
        if (args.length % 2) throw arity('MSET');
        for (let i = 0; i < args.length; i += 2) checkValue(args[i + 1]);
        for (let i = 0; i < args.length; i += 2)
          put(args[i], { type: 'string', value: args[i + 1], expiresAt: null });
        return 'OK';
      },
    ],
    INCR: [1, ([k]) => counter(k, 1)],
    DECR: [1, ([k]) => counter(k, -1)],
    INCRBY: [2, ([k, n]) => counter(k, integer(n))],
    DECRBY: [2, ([k, n]) => counter(k, -integer(n))],
    EXPIRE: [2, ([k, s, ...flags]) => expire(k, integer(s) * 1000, flags)],
    PEXPIRE: [2, ([k, ms, ...flags]) => expire(k, integer(ms), flags)],
    PERSIST: [
      1,
      ([k]) => {
        const f = entry(k);
        if (!f || f.expiresAt === null) return 0;
        f.expiresAt = null;
        return 1;
      },
    ],
    TTL: [1, ([k]) => ttl(k, 's')],
    PTTL: [1, ([k]) => ttl(k, 'ms')],
    HGET: [
      2,
      ([k, f]) => {
        const h = typed(k, 'hash');
        return h && Object.hasOwn(h.value, f) ? h.value[f] : null;
      },
    ],
    HSET: [
      3,
      ([k, ...pairs]) => {
        if (pairs.length % 2) throw arity('HSET');
        const found = typed(k, 'hash');
        const fields = found ? { ...found.value } : {};
        let added = 0;
        for (let i = 0; i < pairs.length; i += 2) {
          checkKey(String(pairs[i]));
          checkValue(pairs[i + 1]);
          if (!Object.hasOwn(fields, pairs[i])) added += 1;
          fields[pairs[i]] = pairs[i + 1];
        }
        put(k, { type: 'hash', value: fields, expiresAt: found ? found.expiresAt : null });
        return added;
      },
    ],
    HDEL: [
      2,
      ([k, ...names]) => {
        const h = typed(k, 'hash');
        if (!h) return 0;
        const removed = names.filter((f) => Object.hasOwn(h.value, f) && delete h.value[f]).length;
        if (Object.keys(h.value).length === 0) data.delete(k);
        return removed;
      },
    ],
    HGETALL: [1, ([k]) => ({ ...(typed(k, 'hash')?.value ?? {}) })],
    HINCRBY: [
      3,
      ([k, f, n]) => {
        const h = typed(k, 'hash');
        const next =
          integer(
            h && Object.hasOwn(h.value, f) ? h.value[f] : 0,
            'ERR hash value is not an integer',
          ) + integer(n);
        commands.HSET[1]([k, f, next]);
        return next;
      },
    ],
    KEYS: [
      1,
      ([pattern]) => {
        const re = globToRegExp(String(pattern));
        return [...data.keys()].filter((k) => entry(k) && re.test(k));
      },
    ],
    DBSIZE: [0, () => [...data.keys()].filter((k) => entry(k)).length],
    FLUSHALL: [
      0,
      () => {
        data = new Map();
        return 'OK';
      },
    ],
  };

  return {
    /** Runs one command; returns its reply or throws a StoreError whose message is Redis's. */
    execute(argv) {
      if (!Array.isArray(argv) || argv.length === 0 || typeof argv[0] !== 'string')
        throw new StoreError(
          'ERR protocol error: send a command as a JSON array like ["GET","key"]',
        );
      const name = argv[0].toUpperCase();
      const command = commands[name];
      if (!command) throw new StoreError(`ERR unknown command '${argv[0]}'`);
      const args = argv.slice(1);
      if (args.length < command[0]) throw arity(name);
      if (name !== 'PING' && name !== 'DBSIZE' && name !== 'FLUSHALL' && name !== 'KEYS') {
        const keys = name === 'DEL' || name === 'EXISTS' || name === 'MGET' ? args : [args[0]];
        for (const key of keys) checkKey(key);
      }
      return command[1](args);
    },
    /** Command names, for help texts and counters. */
    names: Object.keys(commands),
    size: () => commands.DBSIZE[1]([]),
    /** Drops expired keys; the server calls it once a second so memory does not grow unseen. */
    sweep: () => {
      for (const key of data.keys()) entry(key);
    },
    clear: () => {
      data = new Map();
    },
  };
}
