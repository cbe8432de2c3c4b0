/**
 * Talk to the kit's key-value store (_kit/store.mjs) from your server. Node built-ins only.
 *
 *   import { createStore } from './_kit/store-client.mjs';      // ESM
 *   const { createStore } = await import('./_kit/store-client.mjs');   // from CommonJS
 *   const store = createStore(process.env.STORE_URL);
 *
 *   await store.set('session:ab12', { visits: 1 }, { ttlSeconds: 1800 });   // ttl optional
 *   await store.get('session:ab12')     // -> { visits: 1 }, or undefined if absent or expired
 *   await store.delete('session:ab12')
 *   await store.keys()                  // -> ['session:ab12', …]
 *
 * Every call rejects with a readable Error when the store cannot be reached.
 */
import http from 'node:http';

export function createStore(baseUrl) {
  if (!baseUrl) {
    throw new Error(
      'createStore needs the store address: pass process.env.STORE_URL (is the store running?)',
    );
  }
  const base = new URL(baseUrl);

  function call(method, path, body) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers =
        payload === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
      const req = http.request(new URL(path, base), { method, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.setTimeout(5000, () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', (error) =>
        reject(
          new Error(
            `Could not reach the store at ${base.origin} (${error.code || error.message}). Is it running?`,
          ),
        ),
      );
      req.end(payload);
    });
  }

  const keyPath = (key) => `/keys/${encodeURIComponent(String(key))}`;
  const expectStatus = (res, ok, what) => {
    if (!ok.includes(res.status))
      throw new Error(`The store refused to ${what}: ${res.status} ${res.text}`);
  };

  return {
    async get(key) {
      const res = await call('GET', keyPath(key));
      if (res.status === 404) return undefined;
      expectStatus(res, [200], `read "${key}"`);
      return JSON.parse(res.text);
    },
    async set(key, value, { ttlSeconds } = {}) {
      if (value === undefined)
        throw new Error(`store.set("${key}", undefined): use store.delete to remove a key`);
      const query = ttlSeconds === undefined ? '' : `?ttl=${encodeURIComponent(ttlSeconds)}`;
      expectStatus(await call('PUT', keyPath(key) + query, value), [204], `save "${key}"`);
    },
    async delete(key) {
      expectStatus(await call('DELETE', keyPath(key)), [204], `delete "${key}"`);
    },
    async keys() {
      const res = await call('GET', '/keys');
      expectStatus(res, [200], 'list keys');
      return JSON.parse(res.text).keys;
    },
  };
}
