import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/**
 * Which account owns the other end of a loopback TCP connection. Origin and Host checks bind
 * browsers only: any local program can send the course's Origin. So the token goes only to a
 * peer running as the same user as the runner, which rules out other accounts on a shared
 * machine, and containers or sandboxed apps that share the loopback under another uid.
 *
 * Linux lists every TCP socket in /proc/net/tcp{,6} with its owner's uid. The peer's socket is
 * the one whose local port is our remote port and whose remote port is our local port.
 * Elsewhere the answer is `unknown` and the runner falls back to the browser checks alone.
 */

export type PeerUser = { uid: number } | 'unknown';

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];
const ESTABLISHED = '01';

export function peerUser(socket: Socket): PeerUser {
  const { localPort, remotePort } = socket;
  if (!localPort || !remotePort) return 'unknown';
  const uids = new Set<number>();
  let readAny = false;
  for (const table of TABLES) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    readAny = true;
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid …
      const fields = line.trim().split(/\s+/);
      if (fields.length < 8 || fields[3] !== ESTABLISHED) continue;
      if (portOf(fields[1]) !== remotePort || portOf(fields[2]) !== localPort) continue;
      uids.add(Number(fields[7]));
    }
  }
  if (!readAny) return 'unknown';
  // Not found, or two candidates that disagree: treat as a stranger rather than guess.
  if (uids.size !== 1) return { uid: -1 };
  return { uid: [...uids][0]! };
}

/** `0100007F:AA4B` -> 43595 */
function portOf(address: string | undefined): number {
  return parseInt(address?.split(':').at(-1) ?? '', 16);
}
