import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The kit is plain JavaScript for the sandboxes (types inferred via allowJs).
import { createStoreServer } from '../../../../sandboxes/_kit/store.mjs';
import { createStore } from '../../../../sandboxes/_kit/store-client.mjs';

interface StoreClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

let server: Server;
let url: string;
let store: StoreClient;

beforeAll(async () => {
  server = createStoreServer() as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store = createStore(url) as StoreClient;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('kit store and its client', () => {
  it('keeps JSON values, including awkward keys, until they are deleted', async () => {
    const key = 'session:ab/12 ü?x=1';
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, { visits: 3, cart: [{ sku: 'tea', qty: 2 }] });
    expect(await store.get(key)).toEqual({ visits: 3, cart: [{ sku: 'tea', qty: 2 }] });
    expect(await store.keys()).toContain(key);
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
    await store.delete(key); // deleting twice is fine
  });

  it('stores falsy values as values, not as absence', async () => {
    await store.set('zero', 0);
    await store.set('nothing', null);
    expect(await store.get('zero')).toBe(0);
    expect(await store.get('nothing')).toBeNull();
  });

  it('forgets a value after its ttl', async () => {
    await store.set('short', 'lived', { ttlSeconds: 0.05 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.get('short')).toBeUndefined();
    expect(await store.keys()).not.toContain('short');
  });

  it('answers plain HTTP with the documented statuses', async () => {
    expect((await fetch(`${url}/keys/k`, { method: 'PUT', body: 'not json' })).status).toBe(400);
    expect((await fetch(`${url}/keys/k?ttl=-1`, { method: 'PUT', body: '1' })).status).toBe(400);
    expect((await fetch(`${url}/keys/k`, { method: 'PUT', body: '"v"' })).status).toBe(204);
    expect(await (await fetch(`${url}/keys/k`)).json()).toBe('v');
    expect((await fetch(`${url}/keys/missing`)).status).toBe(404);
    expect((await fetch(`${url}/keys/k`, { method: 'POST' })).status).toBe(405);
  });

  it('explains what is wrong when the store is missing or unreachable', async () => {
    expect(() => createStore(undefined)).toThrow(/STORE_URL/);
    const nowhere = createStore('http://127.0.0.1:1') as StoreClient;
    await expect(nowhere.get('x')).rejects.toThrow(
      /Could not reach the store at http:\/\/127\.0\.0\.1:1/,
    );
  });
});
