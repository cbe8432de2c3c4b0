import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Test-side helpers for driving kit processes (balancer, store, check runs) as a runtime would. */

export const KIT_DIR = path.resolve(import.meta.dirname, '../../../../sandboxes/_kit');

/** A temp sandbox with the whole kit under _kit/ plus the given files. */
export function makeSandbox(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'svs-kit-'));
  cpSync(KIT_DIR, path.join(dir, '_kit'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(dir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

/** Polls `condition` until it holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** True once no port in the list accepts a connection. */
export async function allClosed(ports: number[]): Promise<boolean> {
  const open = await Promise.all(ports.map(canConnect));
  return !open.some(Boolean);
}

export interface Watched {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves with the first line matching `pattern` (already printed or still to come). */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Spawns `node <args>` in `cwd` with every stream piped and its output kept line by line. */
export function startNode(
  args: string[],
  { cwd, env = {} }: { cwd: string; env?: Record<string, string> },
): Watched {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  const onChunk = (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout.setEncoding('utf8').on('data', onChunk);
  child.stderr.setEncoding('utf8').on('data', onChunk);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    lines,
    exited,
    async line(pattern, timeoutMs = 30_000) {
      let found: RegExpMatchArray | null = null;
      await waitUntil(
        () => lines.some((l) => (found = l.match(pattern)) !== null),
        `a line matching ${pattern} (got:\n${lines.slice(-10).join('\n')})`,
        timeoutMs,
      );
      return found as unknown as RegExpMatchArray;
    },
  };
}

export async function randomFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
