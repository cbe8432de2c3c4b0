import { createHmac, timingSafeEqual } from 'node:crypto';

const SHAPE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const mac = (input, key) => createHmac('sha256', key).update(input).digest();

export function sign(payload, secret) {
  const input = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64(payload)}`;
  return `${input}.${mac(input, secret).toString('base64url')}`;
}

export function verify(token, secret, { now = Math.floor(Date.now() / 1000) } = {}) {
  const match = SHAPE.exec(String(token));
  if (!match) throw new Error('malformed token');
  const [, head, body, sig] = match;
  const sigBytes = Buffer.from(sig, 'base64url');
  // Only one spelling of these bytes is allowed: the one that re-encodes to the same text.
  if (sigBytes.toString('base64url') !== sig) throw new Error('malformed signature');
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString());
    claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  } catch {
    throw new Error('malformed token');
  }
  if (header?.alg !== 'HS256') throw new Error('unsupported alg');
  if (!timingSafeEqual(sigBytes, mac(`${head}.${body}`, secret))) throw new Error('bad signature');
  if (!Number.isFinite(claims.exp) || claims.exp <= now) throw new Error('expired');
  return claims;
}
