import { SANDBOX_ENV } from './cleanup.mjs';

/** Which environment variables reach sandbox code, and which a page may set. */

/** Names the runner sets itself; a spawn request may not override them. */
export const RUNNER_ENV = ['PORT', 'HOST', 'SVS_PORTS', SANDBOX_ENV] as const;

/**
 * The variables a page may set. An allow-list, because the list of variables that change how
 * `node`, the dynamic loader or OpenSSL start (NODE_OPTIONS, LD_PRELOAD, OPENSSL_CONF, …) is long
 * and keeps growing: the course's own variables are named SVS_*, plus NODE_ENV.
 */
export function pageMaySet(name: string): boolean {
  if ((RUNNER_ENV as readonly string[]).includes(name.toUpperCase())) return false;
  return /^SVS_[A-Z0-9_]{1,60}$/.test(name) || name === 'NODE_ENV';
}

// Only these of the runner's own variables reach sandbox code; the rest may hold secrets.
export const INHERITED_ENV = [
  'PATH',
  'HOME',
  'USERPROFILE',
  'SYSTEMROOT',
  'TMPDIR',
  'TEMP',
  'TMP',
  'LANG',
  'TZ',
];
