import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// The kit is plain JavaScript for the sandboxes (types inferred via allowJs).
import { createEngine as createEngineJs } from '../../../../sandboxes/_kit/store-engine.mjs';

type Engine = { execute(argv: unknown[]): unknown };
const createEngine = createEngineJs as unknown as (o?: object) => Engine;
let engine: Engine;
const run = (...argv: unknown[]) => engine.execute(argv);
const fails = (argv: unknown[], message: RegExp | string) =>
  expect(() => engine.execute(argv)).toThrow(message);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  engine = createEngine();
});
afterEach(() => vi.useRealTimers());

describe('store commands: strings', () => {
  it('GET, SET and DEL keep any JSON value and answer null for a missing key', () => {
    expect(run('GET', 'a')).toBeNull();
    expect(run('SET', 'a', { visits: 1 })).toBe('OK');
    expect(run('get', 'a')).toEqual({ visits: 1 });
    expect(run('SET', 'zero', 0)).toBe('OK');
    expect(run('GET', 'zero')).toBe(0);
    expect(run('DEL', 'a', 'zero', 'never')).toBe(2);
    expect(run('GET', 'a')).toBeNull();
  });

  it('SET NX only creates, SET XX only replaces, SET GET returns the old value', () => {
    expect(run('SET', 'k', 'v1', 'NX')).toBe('OK');
    expect(run('SET', 'k', 'v2', 'NX')).toBeNull();
    expect(run('SET', 'other', 'v', 'XX')).toBeNull();
    expect(run('EXISTS', 'other')).toBe(0);
    expect(run('SET', 'k', 'v3', 'XX', 'GET')).toBe('v1');
    expect(run('GET', 'k')).toBe('v3');
    fails(['SET', 'k', 'v', 'NX', 'XX'], 'ERR syntax error');
    fails(['SET', 'k', 'v', 'SOON'], 'ERR syntax error');
  });

  it('SET EX and PX expire the key; a plain SET clears the TTL, KEEPTTL keeps it', () => {
    run('SET', 's', 'x', 'EX', 10);
    expect(run('TTL', 's')).toBe(10);
    vi.advanceTimersByTime(9_999);
    expect(run('GET', 's')).toBe('x');
    vi.advanceTimersByTime(1);
    expect(run('GET', 's')).toBeNull();
    expect(run('TTL', 's')).toBe(-2);

    run('SET', 'p', 'x', 'PX', 500);
    expect(run('PTTL', 'p')).toBe(500);
    run('SET', 'p', 'y', 'KEEPTTL');
    expect(run('PTTL', 'p')).toBe(500);
    run('SET', 'p', 'z');
    expect(run('TTL', 'p')).toBe(-1);
    fails(['SET', 'k', 'v', 'EX', 0], "ERR invalid expire time in 'set' command");
    fails(['SET', 'k', 'v', 'EX', 'soon'], 'ERR value is not an integer or out of range');
  });

  it('INCR, INCRBY, DECR and DECRBY count atomically and keep the TTL', () => {
    expect(run('INCR', 'n')).toBe(1);
    expect(run('INCRBY', 'n', 41)).toBe(42);
    expect(run('DECR', 'n')).toBe(41);
    expect(run('DECRBY', 'n', '40')).toBe(1);
    run('SET', 't', '10', 'EX', 60);
    expect(run('INCR', 't')).toBe(11);
    expect(run('TTL', 't')).toBe(60);
    run('SET', 'word', 'ten');
    fails(['INCR', 'word'], 'ERR value is not an integer or out of range');
    fails(['INCRBY', 'n', 1.5], 'ERR value is not an integer or out of range');
  });

  it('EXPIRE, PEXPIRE, PERSIST, TTL and PTTL follow Redis', () => {
    expect(run('EXPIRE', 'missing', 5)).toBe(0);
    run('SET', 'k', 1);
    expect(run('EXPIRE', 'k', 5, 'XX')).toBe(0);
    expect(run('EXPIRE', 'k', 5)).toBe(1);
    expect(run('EXPIRE', 'k', 50, 'NX')).toBe(0);
    expect(run('TTL', 'k')).toBe(5);
    expect(run('PEXPIRE', 'k', 1500)).toBe(1);
    expect(run('PTTL', 'k')).toBe(1500);
    expect(run('TTL', 'k')).toBe(2);
    expect(run('PERSIST', 'k')).toBe(1);
    expect(run('TTL', 'k')).toBe(-1);
    expect(run('EXPIRE', 'k', 0)).toBe(1);
    expect(run('EXISTS', 'k')).toBe(0);
  });

  it('MGET, MSET, EXISTS, TYPE, KEYS, DBSIZE, FLUSHALL and PING', () => {
    expect(run('MSET', 'a', 1, 'b', 'two')).toBe('OK');
    run('HSET', 'h', 'f', 1);
    expect(run('MGET', 'a', 'missing', 'b', 'h')).toEqual([1, null, 'two', null]);
    expect(run('EXISTS', 'a', 'a', 'missing')).toBe(2);
    expect([run('TYPE', 'a'), run('TYPE', 'h'), run('TYPE', 'x')]).toEqual([
      'string',
      'hash',
      'none',
    ]);
    run('SET', 'session:1', 1);
    run('SET', 'session:22', 1, 'PX', 10);
    expect(run('KEYS', 'session:?')).toEqual(['session:1']);
    expect((run('KEYS', '*') as string[]).sort()).toEqual([
      'a',
      'b',
      'h',
      'session:1',
      'session:22',
    ]);
    vi.advanceTimersByTime(10);
    expect(run('DBSIZE')).toBe(4);
    expect(run('PING')).toBe('PONG');
    expect(run('FLUSHALL')).toBe('OK');
    expect(run('DBSIZE')).toBe(0);
  });
});

describe('store commands: hashes', () => {
  it('HSET counts new fields, HGET and HGETALL read, HDEL removes, HINCRBY counts', () => {
    expect(run('HSET', 'cart:7', 'tea', 2, 'jam', 1)).toBe(2);
    expect(run('HSET', 'cart:7', 'tea', 3)).toBe(0);
    expect(run('HGET', 'cart:7', 'tea')).toBe(3);
    expect(run('HGET', 'cart:7', 'none')).toBeNull();
    expect(run('HINCRBY', 'cart:7', 'jam', 4)).toBe(5);
    expect(run('HGETALL', 'cart:7')).toEqual({ tea: 3, jam: 5 });
    expect(run('HDEL', 'cart:7', 'tea', 'none')).toBe(1);
    expect(run('HDEL', 'cart:7', 'jam')).toBe(1);
    expect(run('EXISTS', 'cart:7')).toBe(0);
    expect(run('HGETALL', 'cart:7')).toEqual({});
  });

  it('refuses a string command on a hash and the reverse with WRONGTYPE', () => {
    run('HSET', 'h', 'f', 1);
    run('SET', 's', 1);
    fails(['GET', 'h'], /^WRONGTYPE/);
    fails(['INCR', 'h'], /^WRONGTYPE/);
    fails(['HGET', 's', 'f'], /^WRONGTYPE/);
  });
});

describe('store commands: compare-and-set', () => {
  it('sets only while the value is still the expected one, or absent for null', () => {
    expect(run('CAS', 'stock', null, 5)).toBe(1);
    expect(run('CAS', 'stock', null, 9)).toBe(0);
    expect(run('CAS', 'stock', 4, 3)).toBe(0);
    expect(run('CAS', 'stock', 5, 4)).toBe(1);
    expect(run('GET', 'stock')).toBe(4);
    expect(run('CAS', 'doc', null, { v: 1 }, 'EX', 5)).toBe(1);
    expect(run('CAS', 'doc', { v: 1 }, { v: 2 })).toBe(1);
    expect(run('TTL', 'doc')).toBe(-1);
  });
});

describe('store commands: bad input', () => {
  it('answers Redis-style errors and keeps working', () => {
    fails(['FROB', 'x'], "ERR unknown command 'FROB'");
    fails(['GET'], "ERR wrong number of arguments for 'get' command");
    fails(['HSET', 'h', 'f'], "ERR wrong number of arguments for 'hset' command");
    fails([], /ERR protocol error/);
    fails(['SET', '', 1], /keys are non-empty strings/);
    fails(['SET', 'k', undefined], /a value is required/);
    expect(run('SET', 'still', 'works')).toBe('OK');
  });

  it('names the limit it hits: keys, key size and value size', () => {
    const seen: string[] = [];
    engine = createEngine({
      limits: { maxKeys: 2, maxValueBytes: 10, maxKeyBytes: 5 },
      onLimit: (m: string) => seen.push(m),
    });
    run('SET', 'a', 1);
    run('SET', 'b', 1);
    fails(['SET', 'c', 1], /at most 2 keys \(maxKeys\)/);
    expect(run('SET', 'a', 2)).toBe('OK'); // replacing is not growing
    fails(['SET', 'a', 'x'.repeat(20)], /limits one value to 10 bytes \(maxValueBytes\)/);
    fails(['GET', 'toolong'], /limits keys to 5 bytes \(maxKeyBytes\)/);
    expect(seen).toHaveLength(3);
  });
});
