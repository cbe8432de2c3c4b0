import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// The kit is plain JavaScript for the sandboxes (types inferred via allowJs).
import { createStore as createStoreJs } from '../../../../sandboxes/_kit/store-client.mjs';
import {
  createStoreService as createServiceJs,
  MAX_CONNECTIONS,
} from '../../../../sandboxes/_kit/store-server.mjs';
import { canConnect, waitUntil } from './kit-process.ts';

type Reply = Promise<unknown>;
interface StoreClient {
  [command: string]: unknown;
  get(key: string): Reply;
  set(key: string, value: unknown, ...options: unknown[]): Reply;
  del(...keys: string[]): Reply;
  delete(key: string): Reply;
  keys(pattern?: string): Promise<string[]>;
  incr(key: string): Promise<number>;
  incrby(key: string, by: number): Promise<number>;
  hSet(key: string, field: unknown, value?: unknown): Reply;
  hGetAll(key: string): Reply;
  mGet(keys: string[]): Reply;
  cas(key: string, expected: unknown, next: unknown): Reply;
  sendCommand(argv: unknown[]): Reply;
  readonly isDown: boolean;
}
interface Service {
  start(): Promise<void>;
  stop(options?: { keepData?: boolean }): Promise<void>;
  control(line: string): unknown;
  stats(): { commands: Record<string, number>; total: number; opsPerSecond: number; keys: number };
  url: string;
  port: number;
  close(): Promise<void>;
}

const createStore = createStoreJs as unknown as (url?: string, o?: object) => StoreClient;
const createStoreService = createServiceJs as unknown as (o: object) => Service;
const events: Array<Record<string, unknown>> = [];
const said: string[] = [];
let service: Service;
let store: StoreClient;

beforeAll(async () => {
  service = createStoreService({
    emit: (e: Record<string, unknown>) => events.push(e),
    say: (t: string) => said.push(t),
  });
  await service.start();
  store = createStore(service.url, { timeoutMs: 500 });
});
afterAll(() => service.close());

const unavailable = { name: 'StoreUnavailableError', code: 'STORE_UNAVAILABLE' };

describe('store client and server', () => {
  it('speaks Redis commands with node-redis names and options', async () => {
    expect(await store.set('session:ab/12 ü', JSON.stringify({ visits: 3 }), { EX: 60 })).toBe(
      'OK',
    );
    expect(JSON.parse((await store.get('session:ab/12 ü')) as string)).toEqual({ visits: 3 });
    // Long enough to outlive a busy machine's pauses: the lock must still be there below.
    expect(await store.set('lock', 'me', { NX: true, PX: 60_000 })).toBe('OK');
    expect(await store.set('lock', 'you', { NX: true })).toBeNull();
    expect(await store.set('lock', 'you', 'XX', 'GET')).toBe('me'); // ioredis-style words
    expect(await store.incr('visits')).toBe(1);
    expect(await store.incrby('visits', 9)).toBe(10);
    expect(await store.hSet('cart:7', { tea: 2, jam: 1 })).toBe(2);
    expect(await store.hGetAll('cart:7')).toEqual({ tea: 2, jam: 1 });
    expect(await store.mGet(['visits', 'nope'])).toEqual([10, null]);
    expect(await store.cas('visits', 10, 11)).toBe(1);
    expect(await store.sendCommand(['GET', 'visits'])).toBe(11);
    expect(await store.del('visits', 'lock')).toBe(2);
  });

  it('keeps the calls earlier labs use working', async () => {
    await store.set('old', { visits: 1 }, { ttlSeconds: 30 });
    expect(await store.get('old')).toEqual({ visits: 1 });
    expect(await store.keys()).toContain('old');
    await store.delete('old');
    expect(await store.get('old')).toBeNull();
    const res = await fetch(`${service.url}/keys/${encodeURIComponent('a b')}`, {
      method: 'PUT',
      body: '{"v":1}',
    });
    expect(res.status).toBe(204);
    expect(await (await fetch(`${service.url}/keys/a%20b`)).json()).toEqual({ v: 1 });
    expect((await fetch(`${service.url}/keys/missing`)).status).toBe(404);
  });

  it('answers a malformed command with a Redis-style error and keeps serving', async () => {
    await expect(store.sendCommand(['FROB'])).rejects.toMatchObject({
      code: 'STORE_COMMAND',
      message: "ERR unknown command 'FROB'",
    });
    const raw = await fetch(service.url, { method: 'POST', body: 'not json' });
    expect(await raw.json()).toEqual({ error: 'ERR protocol error: the body must be JSON' });
    expect(await store.set('after', 1)).toBe('OK');
  });

  it('counts every command and reports ops per second', async () => {
    service.control('stats reset');
    for (let i = 0; i < 5; i += 1) await store.get('after');
    await store.set('after', 2);
    const stats = service.stats();
    expect(stats.commands).toEqual({ GET: 5, SET: 1 });
    expect(stats.total).toBe(6);
    expect(stats.opsPerSecond).toBeGreaterThanOrEqual(6);
    expect(events.at(-1)).toMatchObject({ type: 'store', state: 'up', port: service.port });
  });

  it('stops and starts on the same port, keeping its data or losing it', async () => {
    await store.set('kept', 'yes');
    const port = service.port;
    await service.stop({ keepData: true });
    expect(await canConnect(port)).toBe(false);
    // The clock stands still, so the 50 ms backoff cannot run out on a busy machine mid-test.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await expect(store.get('kept')).rejects.toMatchObject(unavailable);
      // Fails fast while it waits to reconnect, and a forgotten await crashes nothing.
      void store.get('kept');
      await expect(store.get('kept')).rejects.toThrow(/unavailable \(ECONNREFUSED; next try in/);
    } finally {
      vi.useRealTimers();
    }
    expect(events.at(-1)).toMatchObject({ type: 'store', state: 'down', port });

    await service.start();
    expect(service.port).toBe(port);
    await waitUntil(
      async () => (await store.get('kept').catch(() => 'down')) === 'yes',
      'reconnect',
    );
    expect(store.isDown).toBe(false);

    await service.stop({ keepData: false });
    await service.start();
    await waitUntil(async () => (await store.get('kept').catch(() => 'down')) === null, 'empty');
  });

  it('adds latency on request and refuses or hangs in fault mode', async () => {
    service.control('delay 80ms');
    const started = Date.now();
    await store.get('x');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    service.control('delay 0');

    service.control('fault hang');
    await expect(store.get('x')).rejects.toThrow(/no answer within 500 ms/);
    service.control('fault refuse');
    await expect(store.get('x')).rejects.toMatchObject(unavailable);
    service.control('fault off');
    await waitUntil(async () => (await store.get('x').catch(() => 'down')) === null, 'recovery');
  });

  it('explains what is wrong when the store is missing or unreachable', async () => {
    expect(() => createStore(undefined)).toThrow(/STORE_URL/);
    const nowhere = createStore('http://127.0.0.1:1');
    await expect(nowhere.get('x')).rejects.toThrow(
      /The store at http:\/\/127\.0\.0\.1:1 is unavailable \(ECONNREFUSED\)/,
    );
  });

  it('closes connections over its limit, naming it once, and keeps serving', async () => {
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i <= MAX_CONNECTIONS; i += 1) {
        const socket = net.connect(service.port, '127.0.0.1');
        socket.on('error', () => {});
        sockets.push(socket);
      }
      await waitUntil(
        async () => said.some((t) => t.includes('(MAX_CONNECTIONS)')),
        'the connection limit message',
      );
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    expect(said.filter((t) => t.includes('MAX_CONNECTIONS'))).toEqual([
      `limit reached: more than ${MAX_CONNECTIONS} connections at once (MAX_CONNECTIONS); is a server opening one per request and never closing it?`,
    ]);
    await waitUntil(
      async () => (await store.set('still', 'up').catch(() => 'down')) === 'OK',
      'serving',
    );
  });

  it('refuses a value over the size limit, naming it, and says so once', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    const patient = createStore(service.url, { timeoutMs: 10_000 });
    await expect(patient.set('big', big)).rejects.toThrow(/maxValueBytes/);
    await expect(patient.set('big', big)).rejects.toThrow(/maxValueBytes/);
    expect(said.filter((t) => t.includes('maxValueBytes'))).toHaveLength(1);
  });
});
