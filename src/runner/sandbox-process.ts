import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { waitUntilListening } from './ports.ts';

/**
 * One learner process. It is spawned detached, so it leads its own process group, and every stop
 * (kill, deadline, its own exit, runner shutdown) signals the whole group: a load balancer's child
 * servers go down with it instead of lingering on their ports.
 */

export interface SandboxProcessOptions {
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** The process's PORT; watched for "server ready" when `expectsServer`. */
  port: number;
  expectsServer: boolean;
  deadlineMs: number;
  maxOutputBytes: number;
  readyHintMs: number;
  onOutput(text: string): void;
  onReady(port: number): void;
  onExit(code: number): void;
}

/** The Node that runs learner code: SVS_NODE_BINARY when set (e.g. a Node 22 under test), else ours. */
const nodeBinary = (): string => process.env['SVS_NODE_BINARY'] || process.execPath;

const KILL_GRACE_MS = 1_000;
const GROUP_GONE_WAIT_MS = 2_000;

export class SandboxProcess {
  readonly exited: Promise<number>;
  private readonly child: ChildProcess;
  private readonly closed: Promise<void>;
  private readonly stopWatching = new AbortController();
  private outputBytes = 0;
  private truncated = false;
  private alive = true;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: SandboxProcessOptions) {
    this.child = spawn(nodeBinary(), options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
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
    if (this.alive) this.child.stdin?.write(data);
  }

  /** SIGTERM to the group, SIGKILL after a short grace; resolves with the exit code. */
  async kill(): Promise<number> {
    if (this.alive) {
      this.signalGroup('SIGTERM');
      this.timers.push(setTimeout(() => this.signalGroup('SIGKILL'), KILL_GRACE_MS));
    }
    return this.exited;
  }

  /** For process exit handlers, where nothing asynchronous runs any more. */
  killSync(): void {
    this.signalGroup('SIGKILL');
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
    this.signalGroup('SIGKILL');
    await Promise.race([this.closed, delay(GROUP_GONE_WAIT_MS)]);
    await this.waitForGroupGone();
    for (const timer of this.timers) clearTimeout(timer);
    this.options.onExit(code);
    return code;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private async waitForGroupGone(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const until = Date.now() + GROUP_GONE_WAIT_MS;
    while (Date.now() < until && groupHasLiveMembers(pid)) await delay(20);
  }
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

/**
 * Whether any process of the group still runs. Killed grandchildren are re-parented to PID 1 and
 * stay zombies until it reaps them (some container inits never do); a zombie runs no code and holds
 * no port, so on Linux the process table is read and zombies are not counted.
 */
function groupHasLiveMembers(pgid: number): boolean {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces, so split after its closing paren.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}
