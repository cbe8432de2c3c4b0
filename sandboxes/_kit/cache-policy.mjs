/**
 * The rules of the kit's shared cache, with no I/O: the subset of HTTP caching (RFC 9111) a lab
 * needs. Node built-ins only.
 *
 * A response is stored only when all of these hold:
 *   - the request is a GET without `Cache-Control: no-store`;
 *   - the status is 200, 203, 204, 300, 301, 404 or 410, and the response sets no cookie;
 *   - `Cache-Control` has no `no-store` and no `private` (this is a shared cache), and gives a
 *     lifetime (`s-maxage`, else `max-age`) or `no-cache` (store, but revalidate every time);
 *   - `Vary` is not `*`;
 *   - the request carried no `Authorization` and no `Cookie` header, unless the response allows
 *     sharing explicitly with `public` or `s-maxage`. A personal page marked only `max-age=60`
 *     is therefore never shared; one marked `public` is, so mark personal pages `private`.
 * A stored response is fresh while its age is below s-maxage (else max-age). A stale one, or one
 * stored with `no-cache`, or a request with `Cache-Control: no-cache`, is revalidated with
 * `If-None-Match` when it has an ETag, and fetched again when it has none.
 */

const STORABLE_STATUS = new Set([200, 203, 204, 300, 301, 404, 410]);

/** 'public, max-age=60' -> { public: true, 'max-age': 60 } (names lower-case; numbers parsed). */
export function parseCacheControl(header) {
  const directives = {};
  for (const part of String(header ?? '').split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    const value = rest.join('=').trim().replace(/^"|"$/g, '');
    directives[name] = value === '' ? true : /^\d+$/.test(value) ? Number(value) : value;
  }
  return directives;
}

/** The lifetime in seconds a shared cache may use, or null when the response gives none. */
export function freshnessLifetime(directives) {
  if (typeof directives['s-maxage'] === 'number') return directives['s-maxage'];
  if (typeof directives['max-age'] === 'number') return directives['max-age'];
  return null;
}

/** Why a response may not be stored, or null when it may. Headers are Node's (lower-case keys). */
export function whyNotStorable(req, status, headers) {
  const request = parseCacheControl(req.headers['cache-control']);
  const response = parseCacheControl(headers['cache-control']);
  if (req.method !== 'GET') return `${req.method} requests are not cached`;
  if (request['no-store']) return 'the request said no-store';
  if (!STORABLE_STATUS.has(status)) return `status ${status} is not cached`;
  if (response['no-store']) return 'the response said no-store';
  if (response.private) return 'the response is private';
  if (headers['set-cookie']) return 'the response sets a cookie';
  if (String(headers.vary ?? '').trim() === '*') return 'the response varies on everything';
  const explicitlyShared = response.public === true || typeof response['s-maxage'] === 'number';
  if (req.headers.authorization && !explicitlyShared) {
    return 'the request carried Authorization and the response is not marked public or s-maxage';
  }
  if (req.headers.cookie && !explicitlyShared) {
    return 'the request carried a Cookie and the response is not marked public or s-maxage';
  }
  if (freshnessLifetime(response) === null && !response['no-cache']) {
    return 'the response gives no max-age or s-maxage';
  }
  return null;
}

/** The request header values a stored response varies on, as one string. */
export function varyKey(varyHeader, requestHeaders) {
  const names = String(varyHeader ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean)
    .sort();
  return names.map((name) => `${name}=${requestHeaders[name] ?? ''}`).join('\n');
}

/** Age in seconds of a stored entry now: what it had on arrival plus the time since. */
export function currentAge(entry, now = Date.now()) {
  return entry.initialAge + Math.max(0, Math.floor((now - entry.storedAt) / 1000));
}

/** 'fresh', 'revalidate' (stale or no-cache, and has an ETag) or 'refetch'. */
export function lookupDecision(entry, requestHeaders, now = Date.now()) {
  const request = parseCacheControl(requestHeaders['cache-control']);
  const response = parseCacheControl(entry.headers['cache-control']);
  const lifetime = freshnessLifetime(response);
  const fresh = lifetime !== null && currentAge(entry, now) < lifetime;
  if (fresh && !response['no-cache'] && !request['no-cache']) return 'fresh';
  return entry.headers.etag ? 'revalidate' : 'refetch';
}
