import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RequestGuard } from './guard.ts';
import type { RunnerCore } from './runner-core.ts';
import {
  PAGE_PROTOCOL_PREFIX as PAGE_PREFIX,
  STREAM_PATH,
  STREAM_PROTOCOL,
  TOKEN_PROTOCOL_PREFIX as TOKEN_PREFIX,
} from '../runtime/local/protocol.ts';

/**
 * One WebSocket per page carries the runner's events (output, ready, exit). Browsers cannot set
 * headers on a WebSocket, so the token travels as a subprotocol (`svs-token.<token>`), which keeps
 * it out of URLs and therefore out of access logs. A reconnecting page names itself with
 * `svs-page.<id>` to get its processes back within the grace period.
 */

export { STREAM_PATH, STREAM_PROTOCOL } from '../runtime/local/protocol.ts';

export function createEventStream(core: RunnerCore, guard: RequestGuard) {
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: 4096, // the page never needs to send anything big over the stream
    handleProtocols: (protocols) => (protocols.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
  });

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://runner').pathname;
    if (path !== STREAM_PATH) return refuse(socket, 404, 'unknown runner stream');
    const refusal = guard.checkCaller(req, true);
    if (refusal) return refuse(socket, refusal.status, refusal.reason);
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((value) => value.trim());
    const token = protocols
      .find((value) => value.startsWith(TOKEN_PREFIX))
      ?.slice(TOKEN_PREFIX.length);
    if (!guard.tokenMatches(token)) return refuse(socket, 401, 'missing or wrong runner token');
    if (!protocols.includes(STREAM_PROTOCOL)) return refuse(socket, 400, 'unknown stream protocol');
    const pageId = protocols
      .find((value) => value.startsWith(PAGE_PREFIX))
      ?.slice(PAGE_PREFIX.length);
    server.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      core.connect(ws, pageId);
    });
  }

  function close(): void {
    for (const client of server.clients) client.terminate();
    server.close();
  }

  return { handleUpgrade, close };
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[
    status
  ];
  socket.end(
    `HTTP/1.1 ${status} ${text ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}
