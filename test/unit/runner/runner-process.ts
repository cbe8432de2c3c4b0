/** Starts the runner in a process of its own (fixtures/serve-runner.ts), as `npm start` runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openPage, post, type RawAnswer, type TestPage } from './harness.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/serve-runner.ts', import.meta.url));

export interface RunnerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  origin: string;
  exited: Promise<number | null>;
  call(action: string, body: object): Promise<RawAnswer>;
  openPage(): Promise<TestPage>;
  /** Its folders under its temp dir (one root while it runs). */
  folders(): string[];
}

export async function startRunnerProcess(
  options: { limits?: object; uid?: number | undefined; tmp?: string } = {},
): Promise<RunnerProcess> {
  // A private temp dir keeps other runners on this machine from sweeping what a test planted.
  const tmp = options.tmp ?? tmpdir();
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      TMPDIR: tmp,
      FIXTURE_LIMITS: JSON.stringify(options.limits ?? {}),
    },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  const first = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error('the runner did not start within 60 s')),
      60_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.split('\n')[0]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the runner exited with ${code} before it answered`));
    });
  });
  const { port, token } = JSON.parse(first) as { port: number; token: string };
  const origin = `http://127.0.0.1:${port}`;
  let pageId = '';
  const headers = { origin, 'content-type': 'application/json', 'x-runner-token': token };
  return {
    child,
    pid: child.pid!,
    port,
    origin,
    exited,
    call: (action, body) =>
      post(port, `/__runner/${action}`, headers, JSON.stringify({ page: pageId, ...body })),
    async openPage() {
      const page = await openPage(`ws://127.0.0.1:${port}/__runner/stream`, origin, token);
      pageId = page.id;
      return page;
    },
    folders: () => readdirSync(tmp).filter((name) => name.startsWith(`svs-runner-${child.pid}-`)),
  };
}

/** The pid of the guardian that watches the runner with this pid, if it runs. */
export function guardianOf(runnerPid: number): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (
        args.some((arg) => arg.endsWith('guardian.mjs')) &&
        args.some((arg) => arg.includes(`svs-runner-${runnerPid}-`))
      )
        return Number(name);
    } catch {
      // exited while we looked
    }
  }
  return undefined;
}
