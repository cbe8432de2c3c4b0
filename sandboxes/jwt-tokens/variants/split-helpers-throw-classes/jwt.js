// HS256 JSON Web Tokens with node:crypto, split into one small helper per rule.
import { createHmac, timingSafeEqual } from 'node:crypto';

export class TokenError extends Error {}

const toSegment = (value) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function fromSegment(segment) {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('a segment is not base64url JSON');
  }
}

const hs256 = (input, secret) => createHmac('sha256', secret).update(input).digest('base64url');

function threeParts(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) throw new TokenError(`expected 3 segments, got ${parts.length}`);
  return parts;
}

function checkHeader(segment) {
  const { alg } = fromSegment(segment);
  if (alg !== 'HS256') throw new TokenError(`alg ${JSON.stringify(alg)} refused`);
}

function checkSignature(input, signature, secret) {
  const a = Buffer.from(hs256(input, secret), 'utf8');
  const b = Buffer.from(signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new TokenError('bad signature');
}

function checkExpiry(claims, now) {
  if (typeof claims.exp !== 'number') throw new TokenError('no exp');
  if (claims.exp <= now) throw new TokenError('expired');
}

export function sign(payload, secret) {
  const input = `${toSegment({ alg: 'HS256', typ: 'JWT' })}.${toSegment(payload)}`;
  return `${input}.${hs256(input, secret)}`;
}

export function verify(token, secret, { now = Math.floor(Date.now() / 1000) } = {}) {
  const [header, payload, signature] = threeParts(token);
  checkHeader(header);
  checkSignature(`${header}.${payload}`, signature, secret);
  const claims = fromSegment(payload);
  checkExpiry(claims, now);
  return claims;
}
