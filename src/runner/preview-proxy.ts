import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { scopeCookieHeader, scopeSetCookie } from './cookie-scope.js';

/**
 * Serves one sandbox server's preview from its own loopback port, so the learner's code runs on a
 * different origin than the course page and the runner's control API (it can never read the token
 * or call the API as the page). The added headers let a cross-origin-isolated course page frame it.
 */

const ISOLATION_HEADERS = {
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
} as const;

/**
 * Message framing and routing: never dropped because `Connection` names them. Dropping
 * Content-Length from a GET would send its body unframed, where the learner's server reads it as
 * a second request that never passed the Host check (request smuggling).
 */
const NEVER_HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'host']);

// Hop-by-hop headers describe one connection, not the message; Node sets its own.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

export interface PreviewProxyOptions {
  targetPort: number;
  /** False once the process behind the port is gone (the port may then be reused by anyone). */
  isActive(): boolean;
  timeoutMs: number;
  /**
   * A lab id: the preview also answers at `<site>.localhost`, and its cookies are kept apart from
   * every other lab's (see cookie-scope.ts).
   */
  site?: string | undefined;
}

export class PreviewProxy {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /**
   * The preview the course embeds is on 127.0.0.1, the course's own site. A lab's own name
   * (`<site>.localhost`, still allowed for a tab of its own) would make the embedded frame
   * cross-site, and browsers then neither store nor send the SameSite=Lax session cookies the
   * lessons teach. Cookies ignore ports, so the proxy scopes each lab's cookies by name instead.
   */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Listens on `port`, which the caller allocated so no sandbox can be handed the same one. */
  static start(port: number, options: PreviewProxyOptions): Promise<PreviewProxy> {
    const server = createServer((req, res) => forward(req, res, options, port));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(new PreviewProxy(server, port)));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  options: PreviewProxyOptions,
  proxyPort: number,
): void {
  const host = req.headers.host;
  const allowed = [`127.0.0.1:${proxyPort}`, `localhost:${proxyPort}`];
  if (options.site) allowed.push(`${options.site}.localhost:${proxyPort}`);
  if (host === undefined || !allowed.includes(host)) {
    return page(res, 403, 'Forbidden', 'This preview only answers on its loopback address.');
  }
  // Only origin-form targets (`/path`): an absolute-form URI (`GET http://127.0.0.1:22/`) is what
  // a client sends to a forward proxy, and this is not one.
  if (!req.url?.startsWith('/')) {
    return page(res, 400, 'Bad request', 'This preview only answers requests for a path.');
  }
  if (!options.isActive()) {
    return page(
      res,
      502,
      'Server not running',
      'The server in this sandbox is not running. Press Run to start it.',
    );
  }
  const upstream = httpRequest({
    host: '127.0.0.1',
    port: options.targetPort,
    method: req.method,
    path: req.url,
    headers: upstreamHeaders(req.headers, options.site),
  });
  // Once the proxy has answered on its own (504), later upstream errors must not cut that answer off.
  let answeredByProxy = false;
  const timer = setTimeout(() => {
    answeredByProxy = true;
    upstream.destroy();
    page(
      res,
      504,
      'Server did not answer',
      `The server in this sandbox did not answer within ${options.timeoutMs / 1000} s. Does every request handler end the response (res.end())?`,
    );
  }, options.timeoutMs);
  upstream.on('response', (answer) => {
    clearTimeout(timer);
    if (res.headersSent) return void answer.destroy();
    // The learner's own Cross-Origin-Resource-Policy (say `same-origin`) is theirs to keep.
    res.writeHead(answer.statusCode ?? 502, {
      ...ISOLATION_HEADERS,
      ...downstreamHeaders(answer.headers, options.site),
      'cross-origin-embedder-policy': ISOLATION_HEADERS['cross-origin-embedder-policy'],
    });
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    clearTimeout(timer);
    if (answeredByProxy) return;
    if (res.headersSent) return void res.destroy();
    page(
      res,
      502,
      'Server unavailable',
      'The server in this sandbox closed the connection or is not listening (did it crash? see the terminal).',
    );
  });
  req.pipe(upstream);
  res.on('close', () => {
    clearTimeout(timer);
    upstream.destroy();
  });
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  // `Connection: close, X-Foo` makes X-Foo hop-by-hop for this one message too.
  const listed = String(headers['connection'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => !NEVER_HOP_BY_HOP.has(name));
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !HOP_BY_HOP.has(name.toLowerCase()) && !listed.includes(name.toLowerCase()),
    ),
  );
}

/**
 * The request headers for the learner's server. A chunked body loses its Transfer-Encoding with the
 * other hop-by-hop headers, and Node sends a GET or DELETE body without any framing unless told to,
 * so the body would reach the learner's server as a second, unchecked request (smuggling past the
 * Host check). Re-declaring chunked makes Node frame the body again.
 */
function upstreamHeaders(
  headers: IncomingHttpHeaders,
  site: string | undefined,
): IncomingHttpHeaders {
  const forwarded = withoutHopByHop(headers);
  if (headers['transfer-encoding'] !== undefined) forwarded['transfer-encoding'] = 'chunked';
  if (site !== undefined) {
    const cookie = scopeCookieHeader(headers.cookie, site);
    if (cookie === undefined) delete forwarded.cookie;
    else forwarded.cookie = cookie;
  }
  return forwarded;
}

/** The learner's answer on its way to the browser: its cookies renamed into the lab's own scope. */
function downstreamHeaders(
  headers: IncomingHttpHeaders,
  site: string | undefined,
): IncomingHttpHeaders {
  const passed = withoutHopByHop(headers);
  const setCookie = headers['set-cookie'];
  if (site !== undefined && setCookie !== undefined) {
    passed['set-cookie'] = setCookie.map((value) => scopeSetCookie(value, site));
  }
  return passed;
}

function page(res: ServerResponse, status: number, title: string, message: string): void {
  if (res.headersSent) return void res.destroy();
  const body = `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:2rem"><h1>${status} ${title}</h1><p>${message}</p>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...ISOLATION_HEADERS,
  });
  res.end(body);
}
