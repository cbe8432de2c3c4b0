/**
 * How the kit balancer picks an instance for a request. Node built-ins only.
 *
 *   round-robin        the next instance that is up, in turn
 *   sticky             the first answer sets the cookie `svs_lb=<n>`; later requests carrying it
 *                      go to instance n while it is up, and fail over to another when it is not
 *   least-connections  the instance with the fewest requests in flight (ties: in turn)
 *   hash               consistent hashing on a key (hash-ring.mjs): a request without the key
 *                      goes round-robin. Keys: cookie:<name> (default cookie:sid), header:<name>,
 *                      query:<name>, path
 * Only instances that are `up` take new requests: not starting, unhealthy, draining or down.
 */
import { createRing } from './hash-ring.mjs';

export const STRATEGIES = ['round-robin', 'sticky', 'least-connections', 'hash'];
export const STICKY_COOKIE = 'svs_lb';
const SESSION_COOKIES = ['sid', 'session', 'sessionid', 'session_id'];

export function parseCookies(header) {
  const cookies = {};
  for (const part of (header || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

/** The session id a request carries, or the one its answer sets: for the topology view. */
export function sessionOf(cookies, setCookieHeaders) {
  for (const name of SESSION_COOKIES) {
    if (cookies[name]) return cookies[name].slice(0, 64);
  }
  for (const header of setCookieHeaders || []) {
    const [pair] = header.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1).trim();
    if (eq > 0 && SESSION_COOKIES.includes(name) && value) return value.slice(0, 64);
  }
  return null;
}

/** 'cookie:sid' -> a function reading that key from a request, or null for a bad spec. */
export function keyReader(spec = 'cookie:sid') {
  const [kind, name] = spec.split(/:(.*)/s);
  if (kind === 'path') return (req) => new URL(req.url, 'http://x').pathname;
  if (!name) return null;
  if (kind === 'cookie') return (req, cookies) => cookies[name] || null;
  if (kind === 'header') return (req) => req.headers[name.toLowerCase()] || null;
  if (kind === 'query') return (req) => new URL(req.url, 'http://x').searchParams.get(name);
  return null;
}

export function createRouter({ strategy, hashKey, instances }) {
  let next = 0;
  const readKey = keyReader(hashKey);
  const ring = createRing();
  const open = () => instances.filter((i) => i.state === 'up');

  function inTurn(candidates = open()) {
    if (candidates.length === 0) return null;
    for (let tried = 0; tried < instances.length; tried += 1) {
      const instance = instances[(next + tried) % instances.length];
      if (candidates.includes(instance)) {
        next = (instances.indexOf(instance) + 1) % instances.length;
        return instance;
      }
    }
    return null;
  }

  function leastConnections() {
    const candidates = open();
    if (candidates.length === 0) return null;
    const fewest = Math.min(...candidates.map((i) => i.inFlight));
    return inTurn(candidates.filter((i) => i.inFlight === fewest));
  }

  function hashed(req, cookies) {
    const key = readKey(req, cookies);
    if (!key) return inTurn();
    // The ring holds exactly the instances that are up, so one leaving moves only its own keys.
    for (const instance of instances) {
      if (instance.state === 'up') ring.add(instance.n);
      else ring.remove(instance.n);
    }
    const n = ring.get(key);
    return n === null ? null : instances[n - 1];
  }

  /** -> { instance, pin, failoverFrom } or null when no instance can take the request. */
  return function choose(req, cookies) {
    if (strategy === 'sticky') {
      const pinned = instances[Number(cookies[STICKY_COOKIE]) - 1];
      if (pinned && pinned.state === 'up')
        return { instance: pinned, pin: false, failoverFrom: null };
      const instance = inTurn();
      return instance && { instance, pin: true, failoverFrom: pinned ? pinned.n : null };
    }
    const instance =
      strategy === 'least-connections'
        ? leastConnections()
        : strategy === 'hash'
          ? hashed(req, cookies)
          : inTurn();
    return instance && { instance, pin: false, failoverFrom: null };
  };
}
