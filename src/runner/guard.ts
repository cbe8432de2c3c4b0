import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { peerUser } from './peer-user.ts';

/**
 * Who may talk to the runner. The runner executes code, so a request must come from the course page
 * itself, on this machine:
 *  - loopback peers only (the course server may have been started with --host by mistake);
 *  - the Host header is exactly the course's loopback host:port. A DNS-rebinding attack makes the
 *    browser send `Host: evil.example:4321` to 127.0.0.1, which this refuses;
 *  - the Origin header, when present, is exactly the course origin; on the control API (all POST)
 *    and on the stream handshake it is required, so a cross-site form or a sandboxed `null` origin
 *    cannot act;
 *  - Sec-Fetch-Site, when the browser sends it, says same-origin (a preview page on another loopback
 *    port is `same-site`, not `same-origin`);
 *  - everything except fetching the token carries the per-launch token, and the token is handed
 *    only to a peer running as the runner's own user (peer-user.ts): Origin and Host checks bind
 *    browsers, not other programs.
 */

export type Refusal = { status: 401 | 403; reason: string };

export class RequestGuard {
  private readonly tokenBuffer: Buffer;

  constructor(
    private readonly coursePort: () => number,
    readonly token: string,
    /** The account whose programs may fetch the token; the runner's own. */
    private readonly ownerUid: number | undefined = process.getuid?.(),
  ) {
    this.tokenBuffer = Buffer.from(token);
  }

  /** Refuses a peer that runs as another user; allows when the OS cannot tell (not Linux). */
  checkPeerUser(req: IncomingMessage): Refusal | null {
    if (this.ownerUid === undefined) return null;
    const peer = peerUser(req.socket);
    if (peer === 'unknown' || peer.uid === this.ownerUid) return null;
    return forbidden('the runner answers only programs of the user who started it');
  }

  allowedHosts(): string[] {
    const port = this.coursePort();
    return [`127.0.0.1:${port}`, `localhost:${port}`];
  }

  allowedOrigins(): string[] {
    return this.allowedHosts().map((host) => `http://${host}`);
  }

  /** Checks peer, Host, Origin and Sec-Fetch-Site; the token is checked separately. */
  checkCaller(req: IncomingMessage, requireOrigin: boolean): Refusal | null {
    if (!isLoopback(req.socket.remoteAddress))
      return forbidden('only this computer may use the runner');
    // Node keeps only the first of two Host headers; a request that sends two is refused outright.
    for (const name of ['host', 'origin', 'sec-fetch-site'])
      if ((req.headersDistinct[name]?.length ?? 0) > 1)
        return forbidden(`more than one ${name} header`);
    const host = req.headers.host;
    if (!host || !this.allowedHosts().includes(host)) return forbidden('unexpected Host header');
    const origin = req.headers.origin;
    if (origin === undefined) {
      if (requireOrigin) return forbidden('missing Origin header');
    } else if (!this.allowedOrigins().includes(origin)) {
      return forbidden('unexpected Origin');
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return forbidden('not a same-origin request');
    return null;
  }

  tokenMatches(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const given = Buffer.from(candidate);
    return given.length === this.tokenBuffer.length && timingSafeEqual(given, this.tokenBuffer);
  }
}

function forbidden(reason: string): Refusal {
  return { status: 403, reason };
}

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
