// A JSON Web Token signed with HS256 (HMAC-SHA256), using only node:crypto.
// A token is three base64url segments joined by dots: header.payload.signature
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = { alg: 'HS256', typ: 'JWT' };

function encodeJson(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeJson(segment, what) {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new Error(`the ${what} is not base64url-encoded JSON`);
  }
}

// The signature is an HMAC-SHA256 of the first two segments, exactly as they travel.
// `secret` may be a string or a Buffer (raw key bytes).
function signatureOf(signingInput, secret) {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

export function sign(payload, secret) {
  const signingInput = `${encodeJson(HEADER)}.${encodeJson(payload)}`;
  return `${signingInput}.${signatureOf(signingInput, secret)}`;
}

// Returns the payload if the token is genuine and unexpired; throws an Error otherwise.
// `now` is in seconds since 1970, like `exp`.
export function verify(token, secret, { now = Math.floor(Date.now() / 1000) } = {}) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error('a token has three dot-separated parts');
  const [encodedHeader, encodedPayload, receivedSignature] = parts;

  // Pin the algorithm: never let the token choose how it is checked ("alg": "none").
  const header = decodeJson(encodedHeader, 'header');
  if (header.alg !== 'HS256') throw new Error(`algorithm ${header.alg} is not accepted`);

  // Recompute the signature over the segments as received, never over re-encoded JSON,
  // and compare in constant time so the response time leaks nothing about the right value.
  const expected = Buffer.from(signatureOf(`${encodedHeader}.${encodedPayload}`, secret));
  const received = Buffer.from(receivedSignature);
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new Error('the signature does not match');
  }

  const payload = decodeJson(encodedPayload, 'payload');
  if (typeof payload.exp !== 'number' || now >= payload.exp) {
    throw new Error('the token has expired');
  }
  return payload;
}
