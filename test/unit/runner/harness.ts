import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { WebSocket } from 'ws';
import { createRunner, type Runner, type RunnerLimits } from '../../../src/runner/index.ts';
import type { RunnerEvent } from '../../../src/runner/page.ts';

/** A course server on 127.0.0.1 with the runner attached, plus a page-like client for tests. */
export interface Course {
  port: number;
  origin: string;
  runner: Runner;
  token: string;
  /** POST /__runner/<action> as the course page would. */
  api(
    action: string,
    body?: unknown,
    init?: { headers?: Record<string, string> },
  ): Promise<ApiAnswer>;
  /** A POST with exactly these headers (node:http, so Host can be forged too). */
  raw(path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer>;
  openPage(): Promise<TestPage>;
  close(): Promise<void>;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface TestPage {
  id: string;
  socket: WebSocket;
  events: RunnerEvent[];
  /** Resolves with the first event (past or future) matching the predicate; rejects after 20 s. */
  next<T extends RunnerEvent['type']>(
    type: T,
    where?: (event: Extract<RunnerEvent, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<RunnerEvent, { type: T }>>;
  output(processId: string): string;
}

export async function startCourse(limits: Partial<RunnerLimits> = {}): Promise<Course> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  const runner: Runner = await createRunner({ coursePort: port, limits, handleSignals: false });
  server.on('request', (req, res) => {
    if (!runner.handle(req, res)) res.writeHead(404).end('course page');
  });
  server.on('upgrade', (req, socket, head) => {
    if (!runner.handleUpgrade(req, socket, head)) socket.destroy();
  });
  const raw = (path: string, headers: Record<string, string>, body?: string) =>
    post(port, path, headers, body);
  const session = await raw('/__runner/session', { origin });
  const { token } = JSON.parse(session.text) as { token: string };
  const pages: TestPage[] = [];

  const course: Course = {
    port,
    origin,
    runner,
    token,
    raw,
    async api(action, body = {}, init = {}) {
      const answer = await raw(
        `/__runner/${action}`,
        { origin, 'content-type': 'application/json', 'x-runner-token': token, ...init.headers },
        typeof body === 'string' ? body : JSON.stringify(body),
      );
      return { status: answer.status, body: JSON.parse(answer.text) as Record<string, unknown> };
    },
    async openPage() {
      const page = await openPage(`ws://127.0.0.1:${port}/__runner/stream`, origin, token);
      pages.push(page);
      return page;
    },
    async close() {
      for (const page of pages) page.socket.terminate();
      await runner.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return course;
}

export function openPage(
  url: string,
  origin: string,
  token: string,
  pageId?: string,
): Promise<TestPage> {
  const protocols = ['svs-runner.v1', `svs-token.${token}`];
  if (pageId) protocols.push(`svs-page.${pageId}`);
  const socket = new WebSocket(url, protocols, { origin });
  const events: RunnerEvent[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    events.push(JSON.parse(String(data)) as RunnerEvent);
    for (const wake of waiters) wake();
  });
  const page: TestPage = {
    id: '',
    socket,
    events,
    next(type, where = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no "${type}" event within ${timeoutMs} ms; got ${events.length} events`),
          );
        }, timeoutMs);
        const check = () => {
          const found = events.find((event) => event.type === type && where(event as never)) as
            Extract<RunnerEvent, { type: typeof type }> | undefined;
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found as never);
          return true;
        };
        if (!check()) waiters.add(check);
      });
    },
    output(processId) {
      return events
        .filter((event) => event.type === 'output' && event.process === processId)
        .map((event) => (event as { data: string }).data)
        .join('');
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    void page.next('hello').then((hello) => {
      page.id = hello.page;
      resolve(page);
    });
  });
}

/** Asks for the WebSocket handshake with given headers and returns the HTTP status it got. */
export function handshakeStatus(
  url: string,
  options: { origin?: string; protocols?: string[]; headers?: Record<string, string> },
): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, options.protocols ?? ['svs-runner.v1'], {
      ...(options.origin ? { origin: options.origin } : {}),
      headers: options.headers ?? {},
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.terminate();
    });
    socket.once('error', () => resolve(0));
  });
}

/** Every live (non-zombie) process in the given process group, from the process table. */
export async function liveProcessesInGroup(pgid: number): Promise<string[]> {
  const { execFileSync } = await import('node:child_process');
  const table = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && stat && !stat.startsWith('Z'))
    .map(([pid]) => pid!);
}

export function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        // A fresh connection each time: a kept-alive one can be closed by the runner's idle timer
        // just as a slow (loaded) test sends on it, which reads as ECONNRESET, not as an answer.
        agent: false,
        headers: { host: `127.0.0.1:${port}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    // The runner may answer (413) before it has read a huge body; that is not a test failure.
    req.on('error', (error) => reject(error));
    req.end(body);
  });
}

/** Waits until `condition` holds, checking every 50 ms; fails naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: still not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a process with this pid still runs (a zombie does not count). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
