/**
 * Runs after every e2e test and before Playwright stops the web server: stops the server the way
 * `webServer.gracefulShutdown` does (SIGTERM to its process group), then fails the run if any
 * sandbox process outlives it or its temp folder stays. A leak here means learners' machines
 * collect orphaned servers on busy ports after every `npm start`.
 *
 * The servers this run started are recognised by SVS_E2E_OWNER (set in playwright.config.ts);
 * a reused server (`reuseExistingServer`) has not got it and is left alone. Linux only: it reads
 * /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const STOP_DEADLINE_MS = 15_000;
/** The runner's guardian may still be finishing a cleanup the runner began. */
const ORPHAN_DEADLINE_MS = 3_000;

export default async function noSandboxOutlivesTheServer(): Promise<void> {
  if (process.platform !== 'linux') return;
  const servers = livePids().filter((pid) => environ(pid).includes(`SVS_E2E_OWNER=${process.pid}`));
  if (servers.length === 0) return;
  for (const group of new Set(servers.map(groupOf))) signal(-group, 'SIGTERM');
  if (!(await within(STOP_DEADLINE_MS, () => servers.every((pid) => !isLive(pid))))) {
    for (const pid of servers) signal(pid, 'SIGKILL');
    throw new Error(`the course server did not stop within ${STOP_DEADLINE_MS} ms of SIGTERM`);
  }
  const folderPrefixes = servers.map((pid) => `svs-runner-${pid}-`);
  const orphans = () =>
    livePids().filter((pid) =>
      environ(pid).some((line) =>
        folderPrefixes.some((prefix) => line.startsWith(`SVS_SANDBOX=${tmpdir()}/${prefix}`)),
      ),
    );
  const folders = () =>
    readdirSync(tmpdir()).filter((name) =>
      folderPrefixes.some((prefix) => name.startsWith(prefix)),
    );
  if (await within(ORPHAN_DEADLINE_MS, () => orphans().length === 0 && folders().length === 0))
    return;
  const left = orphans().map((pid) => `${pid} ${commandOf(pid)}`);
  for (const pid of orphans()) signal(pid, 'SIGKILL');
  throw new Error(
    `sandbox processes or folders outlived the course server:\n${[...left, ...folders()].join('\n')}`,
  );
}

async function within(ms: number, condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function livePids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter(isLive);
}

function stat(pid: number): string[] {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return [];
  }
}

function isLive(pid: number): boolean {
  const state = stat(pid)[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

function groupOf(pid: number): number {
  return Number(stat(pid)[2]);
}

function environ(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '?';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
