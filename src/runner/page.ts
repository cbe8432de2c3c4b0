import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { PreviewProxy } from './preview-proxy.ts';
import type { SandboxDir } from './sandbox-dir.ts';
import type { SandboxProcess } from './sandbox-process.ts';
import type { RunnerEvent } from '../runtime/local/protocol.ts';

export type { RunnerEvent } from '../runtime/local/protocol.ts';

export interface PageProcess {
  readonly id: string;
  readonly process: SandboxProcess;
  /** PORT first, then the extra ports handed over in SVS_PORTS. */
  readonly ports: readonly number[];
  alive: boolean;
  /** The lab this is the main process of, if any (see SpawnRequest.site). */
  readonly site?: string | undefined;
}

// Events produced while the page is briefly disconnected are replayed on reconnect, up to this much.
const MAX_BACKLOG_CHARS = 1024 * 1024;

/** One course page (one browser tab's workspace): its sandbox folder, processes and previews. */
export class Page {
  readonly id = randomBytes(16).toString('hex');
  dir: SandboxDir | undefined;
  dirPending: Promise<SandboxDir> | undefined;
  readonly processes = new Map<string, PageProcess>();
  readonly previews = new Map<number, PreviewProxy>();
  /** The PORT each lab's main process had last; handed out again when free. */
  readonly sitePorts = new Map<string, number>();
  graceTimer: NodeJS.Timeout | undefined;
  private socket: WebSocket | undefined;
  private backlog: string[] = [];
  private backlogChars = 0;
  private nextProcessNumber = 1;

  newProcessId(): string {
    return `p${this.nextProcessNumber++}`;
  }

  liveProcessCount(): number {
    let count = 0;
    for (const entry of this.processes.values()) if (entry.alive) count++;
    return count;
  }

  ownsLivePort(port: number): boolean {
    for (const entry of this.processes.values())
      if (entry.alive && entry.ports.includes(port)) return true;
    return false;
  }

  attach(socket: WebSocket): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.socket = socket;
    this.sendNow({ type: 'hello', page: this.id });
    for (const message of this.backlog) socket.send(message);
    this.backlog = [];
    this.backlogChars = 0;
  }

  detach(socket: WebSocket): boolean {
    if (this.socket !== socket) return false;
    this.socket = undefined;
    return true;
  }

  closeSocket(): void {
    this.socket?.close(1001, 'runner stopping');
    this.socket = undefined;
  }

  send(event: RunnerEvent): void {
    if (this.socket) return this.sendNow(event);
    const message = JSON.stringify(event);
    if (this.backlogChars + message.length > MAX_BACKLOG_CHARS) return;
    this.backlog.push(message);
    this.backlogChars += message.length;
  }

  private sendNow(event: RunnerEvent): void {
    this.socket?.send(JSON.stringify(event));
  }
}
