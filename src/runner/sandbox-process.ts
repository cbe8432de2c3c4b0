import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { waitUntilListening } from './ports.ts';
import {
  findSandboxProcesses,
  processInfo,
  signalSandboxProcesses,
  type SandboxMatch,
} from './cleanup.mjs';

/**
 * One learner process. It is spawned detached, so it leads its own process group, and every stop
 * (kill, deadline, its own exit, runner shutdown) ends the whole group: a load balancer's child
 * servers go down with it instead of lingering on their ports. What it started outside the group
 * (`spawn(…, { detached: true })`) is found through the marker variable it inherited and through
 * its parent pid (cleanup.mjs), and ended too.
 *
 * Stop asks first: a `shutdown` line on stdin (the kit's processes stop their children on it), then
 * SIGTERM to everything, then SIGKILL, so a process that ignores both is gone within about 1.5 s.
 */

export interface SandboxProcessOptions {
  /** The `node` binary to run. */
  command: string;
  args: readonly string[];
  /** The value of the SANDBOX_ENV variable in `env`; it names this process and its page. */
  marker: string;
  cwd: string;
  env: Record<string, string>;
  /** The process's PORT; watched for "server ready" when `expectsServer`. */
  port: number;
  expectsServer: boolean;
  deadlineMs: number;
  maxOutputBytes: number;
  /** Most bytes of stdin waiting for a process that does not read it. */
  maxStdinBytes: number;
  readyHintMs: number;
  /** Called once with the new process group, so it can be recorded for cleanup after a crash. */
  onGroup(pgid: number, startTime: string): void;
  onOutput(text: string): void;
  onReady(port: number): void;
  onExit(code: number): void;
}

/** How long a process gets to act on the `shutdown` line, then on SIGTERM. */
const SHUTDOWN_GRACE_MS = 500;
const KILL_GRACE_MS = 500;
const GROUP_GONE_WAIT_MS = 2_000;

/** Refusal of stdin the process is not reading; the control API turns it into a 413. */
export class StdinFullError extends Error {}

export class SandboxProcess {
  readonly exited: Promise<number>;
  private readonly child: ChildProcess;
  private readonly closed: Promise<void>;
  private readonly stopWatching = new AbortController();
  private outputBytes = 0;
  private truncated = false;
  private alive = true;
  private stopping: Promise<number> | undefined;
  /** The leader's start time (clock ticks after boot; '' off Linux): nothing of it started earlier. */
  private readonly startTime: string;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: SandboxProcessOptions) {
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.startTime =
      this.child.pid === undefined ? '' : (processInfo(this.child.pid)?.startTime ?? '');
    if (this.child.pid !== undefined) options.onGroup(this.child.pid, this.startTime);
    this.child.stdin?.on('error', () => {}); // writing to a process that just died is not our error
    for (const stream of [this.child.stdout, this.child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream?.on('data', (chunk: Buffer) => this.emitOutput(chunk, decoder));
      stream?.on('end', () => this.emitText(decoder.end()));
    }
    // 'close' means stdout and stderr are drained too, so no output arrives after the exit event.
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.closed = closed;
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.emitText(`Could not start the process: ${error.message}\n`);
        this.finish(127).then(resolve, () => resolve(127));
      });
      this.child.once('exit', (code, signal) => {
        const status = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
        this.finish(status).then(resolve, () => resolve(status));
      });
    });
    this.timers.push(
      setTimeout(() => {
        this.emitText(
          `\n[Stopped by the course runner: ran longer than ${formatMs(options.deadlineMs)}]\n`,
        );
        void this.kill();
      }, options.deadlineMs),
    );
    if (options.expectsServer) this.watchForReady();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  write(data: string): void {
    const stdin = this.child.stdin;
    if (!this.alive || !stdin?.writable) return;
    const waiting = stdin.writableLength;
    if (waiting + Buffer.byteLength(data) > this.options.maxStdinBytes)
      throw new StdinFullError(
        `the process is not reading its input: ${formatBytes(waiting)} are already waiting, and the runner keeps at most ${formatBytes(this.options.maxStdinBytes)}`,
      );
    stdin.write(data);
  }

  /**
   * A `shutdown` line, then SIGTERM to the group and everything it started, then SIGKILL;
   * resolves with the exit code once nothing of it runs any more.
   */
  kill(): Promise<number> {
    if (!this.alive) return this.exited;
    this.stopping ??= (async () => {
      if (this.child.stdin?.writable) this.child.stdin.end('shutdown\n');
      if (await settlesWithin(this.exited, SHUTDOWN_GRACE_MS)) return this.exited;
      this.signalAll('SIGTERM');
      if (await settlesWithin(this.exited, KILL_GRACE_MS)) return this.exited;
      this.signalAll('SIGKILL');
      return this.exited;
    })();
    return this.stopping;
  }

  /**
   * For process exit handlers, where nothing asynchronous runs any more. Only the group: the
   * runner then looks once for whatever of all its processes left their groups.
   */
  killSync(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private watchForReady(): void {
    const hint = setTimeout(() => {
      this.emitText(
        `\n[Nothing is listening on PORT ${this.options.port} yet. A server must call listen(process.env.PORT).]\n`,
      );
    }, this.options.readyHintMs);
    this.timers.push(hint);
    void waitUntilListening(this.options.port, this.stopWatching.signal).then((ready) => {
      clearTimeout(hint);
      if (ready && this.alive) this.options.onReady(this.options.port);
    });
  }

  private emitOutput(chunk: Buffer, decoder: StringDecoder): void {
    if (this.truncated) return;
    const room = this.options.maxOutputBytes - this.outputBytes;
    if (chunk.length <= room) {
      this.outputBytes += chunk.length;
      this.emitText(decoder.write(chunk));
      return;
    }
    this.truncated = true;
    this.emitText(decoder.write(chunk.subarray(0, Math.max(0, room))) + decoder.end());
    this.emitText(
      `\n[Output truncated by the course runner after ${formatBytes(this.options.maxOutputBytes)}; the process is still running]\n`,
    );
  }

  private emitText(text: string): void {
    if (text) this.options.onOutput(text);
  }

  private async finish(code: number): Promise<number> {
    if (!this.alive) return code;
    this.alive = false;
    this.stopWatching.abort();
    // The leader is gone; anything it started must not outlive it.
    this.signalAll('SIGKILL');
    await Promise.race([this.closed, delay(GROUP_GONE_WAIT_MS)]);
    await this.waitForAllGone();
    for (const timer of this.timers) clearTimeout(timer);
    this.options.onExit(code);
    return code;
  }

  /** The group, what the leader started (by parent pid) and whatever carries this marker. */
  private match(): SandboxMatch {
    const pid = this.child.pid;
    return {
      groups: pid === undefined ? [] : [{ pgid: pid, startTime: '' }],
      marker: this.options.marker,
      ancestors: pid === undefined ? [] : [pid],
      startedAfter: Number(this.startTime) || 0,
    };
  }

  private signalAll(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
    signalSandboxProcesses(this.match(), signal);
  }

  private async waitForAllGone(): Promise<void> {
    const until = Date.now() + GROUP_GONE_WAIT_MS;
    while (Date.now() < until) {
      if (findSandboxProcesses(this.match()).length === 0) return;
      this.signalAll('SIGKILL'); // a dying process may have started another
      await delay(20);
    }
  }
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
