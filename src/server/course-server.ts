/**
 * The `npm start` server: the built site on the course origin, with an optional attachment (the
 * local sandbox runner) that gets first look at every request and WebSocket upgrade.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createStaticSite } from './static-site.ts';

export interface Attachment {
  /** Returns true when it handled the request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Returns true when it took over the upgrade. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

export interface CourseServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startCourseServer(options: {
  distDir: string;
  host: string;
  port: number;
  attachment?: Attachment | undefined;
}): Promise<CourseServer> {
  const site = createStaticSite(options.distDir);
  const { attachment } = options;
  const server = createServer((req, res) => {
    if (attachment?.handle(req, res)) return;
    site(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (attachment?.handleUpgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  // Idle keep-alive sockets would otherwise hold `close()` open for seconds on Ctrl-C.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}`,
    server,
    close() {
      closing ??= (async () => {
        await attachment?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
