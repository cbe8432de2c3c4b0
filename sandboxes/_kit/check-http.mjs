/**
 * Check helpers, part 3: an HTTP client with a cookie jar, whose failures are sentences a learner
 * can act on. Node built-ins only; Node 20 and 22.
 */
import http from 'node:http';
import { CheckError, CheckTimeoutError, lastOutput, quote, seconds } from './check-process.mjs';

export function summarize(res) {
  return res.text === ''
    ? `status ${res.status} with an empty body`
    : `status ${res.status} with body ${quote(res.text)}`;
}

function parseSetCookie(header) {
  const [pair, ...attributeParts] = header.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
  const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
  const attributes = {};
  for (const part of attributeParts) {
    const [key, ...rest] = part.split('=');
    const attribute = key.trim().toLowerCase();
    if (attribute) attributes[attribute] = rest.length ? rest.join('=').trim() : true;
  }
  return { name, value, attributes };
}

function isExpired({ attributes }) {
  if (attributes['max-age'] !== undefined) return Number(attributes['max-age']) <= 0;
  if (typeof attributes.expires === 'string') return Date.parse(attributes.expires) <= Date.now();
  return false;
}

function networkError(error, method, target, base, server) {
  const where = `${method} ${target}`;
  const tail = server ? lastOutput(server.output()) : '';
  if (error.code === 'ECONNREFUSED') {
    return new CheckError(
      `${where} failed: nothing is listening at ${base.host} (connection refused). Did your server stop or crash?${tail}`,
    );
  }
  if (error.code === 'ECONNRESET' || error.message === 'socket hang up') {
    return new CheckError(
      `${where} failed: the server closed the connection without a complete answer.${tail}`,
    );
  }
  return new CheckError(`${where} failed: ${error.message}${tail}`);
}

export function createClient(target, { timeoutMs: defaultTimeoutMs = 5000 } = {}) {
  const server = typeof target === 'string' ? null : target;
  const base = new URL(typeof target === 'string' ? target : target.url);
  const cookies = new Map();

  const remember = (setCookies) => {
    for (const cookie of setCookies) {
      if (isExpired(cookie)) cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
  };

  function request(method, target, { headers = {}, body, timeoutMs = defaultTimeoutMs } = {}) {
    const url = new URL(target, base);
    const outgoing = {};
    for (const [key, value] of Object.entries(headers)) outgoing[key.toLowerCase()] = value;
    if (cookies.size > 0 && outgoing.cookie === undefined) {
      outgoing.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        payload = body;
      } else {
        payload = JSON.stringify(body);
        outgoing['content-type'] ??= 'application/json';
      }
      outgoing['content-length'] = Buffer.byteLength(payload);
    }

    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value);
      };
      const req = http.request(url, { method, headers: outgoing, agent: false }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', (error) => finish(networkError(error, method, target, base, server)));
        res.on('aborted', () =>
          finish(networkError(new Error('socket hang up'), method, target, base, server)),
        );
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const setCookies = (res.headers['set-cookie'] || []).map(parseSetCookie);
          remember(setCookies);
          finish(null, {
            status: res.statusCode,
            headers: res.headers,
            text,
            setCookies,
            json() {
              try {
                return JSON.parse(text);
              } catch {
                throw new CheckError(
                  `Expected JSON from ${method} ${target}, got ${summarize({ status: res.statusCode, text })}`,
                );
              }
            },
          });
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        const tail = server ? lastOutput(server.output()) : '';
        finish(
          new CheckTimeoutError(
            `Timed out after ${seconds(timeoutMs)} waiting for ${method} ${target} to answer.${tail}`,
          ),
        );
      }, timeoutMs);
      req.on('error', (error) => finish(networkError(error, method, target, base, server)));
      req.end(payload);
    });
  }

  return {
    request,
    get: (target, opts) => request('GET', target, opts),
    post: (target, body, opts) => request('POST', target, { ...opts, body }),
    put: (target, body, opts) => request('PUT', target, { ...opts, body }),
    del: (target, opts) => request('DELETE', target, opts),
    cookies,
    setCookie: (name, value) => cookies.set(name, value),
    clearCookies: () => cookies.clear(),
  };
}
