/**
 * Runs the lab through the Runtime interface: mount, start the main process, stream its output,
 * pick the preview URL, stop/restart, and run the checks. Knows nothing about the DOM; the
 * workspace turns its callbacks into what the learner sees. Talks to runtimes only through
 * src/runtime/index.ts, so it behaves the same on WebContainer and the local runner.
 */
import type {
  BootProgress,
  Runtime,
  RuntimeChoice,
  RuntimeProcess,
  RuntimeSelection,
} from '../../runtime/index.ts';
import {
  createOutputDemuxer,
  type DemuxedOutput,
  type Measurement,
  type SandboxEvent,
} from '../../sandbox/check-results.ts';
import { mountTree } from '../../sandbox/assemble.ts';
import type { Files, SandboxBundle } from '../../sandbox/types.ts';
import {
  bootRuntime,
  takeWarmRuntime,
  type BootListener,
  type BootRuntime,
} from './runtime-boot.ts';

import { runCheckProcess, type CheckOutcome, type CheckRunCallbacks } from './check-process.ts';
import { pump } from './stream-pump.ts';

export { warmRuntime } from './runtime-boot.ts';
export type { CheckOutcome, CheckRunCallbacks } from './check-process.ts';

export type RunStatus =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'exited'; code: number };

/** Where a start is between "starting" and "running", after the runtime is up. */
export type StartStep = { kind: 'copying'; files: number } | { kind: 'spawning' };

export interface SessionEvents {
  status(status: RunStatus): void;
  /** The start's next step (the runtime's own boot steps come through onBootStep). */
  step?(step: StartStep): void;
  /** Terminal text (event lines already removed). */
  output(text: string): void;
  /** A line from the workspace itself, e.g. the command being run. */
  note(text: string): void;
  event(event: SandboxEvent): void;
  /** A number the lab recorded (`@@svs-measure` line) from the Run process. */
  measure?(measurement: Measurement): void;
  /** The main server's preview address (null when it went away). */
  preview(url: string | null): void;
  /** Something the learner must know, e.g. a process that would not stop. */
  problem(message: string): void;
}

export class LabSession {
  private selection: Promise<RuntimeSelection> | null = null;
  private process: RuntimeProcess | null = null;
  /** Bumped on every start/stop so late callbacks from an old process are ignored. */
  private generation = 0;
  /** Bumped on every start and stop request: a start that is no longer the latest is skipped. */
  private requests = 0;
  /** Starts run one after another: a restart never overlaps the start it replaces. */
  private queue: Promise<void> = Promise.resolve();
  /** The learner wants the server up (from Run until Stop), even while it is still starting. */
  private wanted = false;
  private readyByPort = new Map<number, string>();
  /** A balancer answers 502 until an instance is up; the preview waits for one. */
  private instanceUp = false;
  private unsubscribeReady: (() => void) | null = null;
  private previewShown = false;
  private booting: BootProgress | null = null;
  private readonly bootListeners = new Set<BootListener>();

  constructor(
    private readonly bundle: SandboxBundle,
    private readonly on: SessionEvents,
    /** Picks and boots a runtime; tests pass a fake. */
    private readonly boot: BootRuntime = bootRuntime,
  ) {}

  /** Boots a runtime once; `choice` forces one (the learner's switch in the UI). */
  runtime(choice?: RuntimeChoice): Promise<RuntimeSelection> {
    if (choice !== undefined || this.selection === null) {
      let pending: Promise<RuntimeSelection> | null = null;
      const report = (progress: BootProgress) => {
        if (pending !== null && this.selection !== pending) return; // a boot since replaced
        this.booting = progress;
        for (const listener of this.bootListeners) listener(progress);
      };
      pending =
        (choice === undefined ? takeWarmRuntime(report) : null) ?? this.boot(choice, report);
      const current = pending;
      this.selection = current;
      // A failed boot must be retryable, not cached forever.
      current.then(
        (selection) => {
          if (this.selection === current) this.booting = null;
          this.watchReady(selection.runtime);
        },
        () => {
          if (this.selection !== current) return;
          this.selection = null;
          this.booting = null;
        },
      );
    }
    return this.selection;
  }

  /** The boot step under way, or null once the runtime is up (or before anything asked for it). */
  get bootStep(): BootProgress | null {
    return this.booting;
  }

  /** Hears every step of every boot from now on; returns an unsubscribe function. */
  onBootStep(listener: BootListener): () => void {
    this.bootListeners.add(listener);
    return () => this.bootListeners.delete(listener);
  }

  /** True from Run until Stop or exit, including while the server is still starting. */
  get running(): boolean {
    return this.wanted;
  }

  private watchReady(runtime: Runtime) {
    this.unsubscribeReady?.();
    this.unsubscribeReady = runtime.onServerReady(({ port, url }) => {
      this.readyByPort.set(port, url);
      this.maybeShowPreview();
    });
  }

  /**
   * The preview is the main process's own PORT (with a topology, the balancer's, once an instance
   * is up). Called on every event that could complete that, in any order: a server can be ready
   * before the call that started it has returned.
   */
  private maybeShowPreview() {
    if (this.previewShown || this.process === null) return;
    if (this.bundle.manifest.topology !== null && !this.instanceUp) return;
    const url = this.readyByPort.get(this.process.port);
    if (url === undefined) return;
    this.previewShown = true;
    this.on.status({ kind: 'running' });
    this.on.preview(url);
  }

  private tree(files: Files): Files {
    return mountTree(files, this.bundle.support);
  }

  /** Starts (or restarts) the main process with `files`. Overlapping calls: the last one wins. */
  start(files: Files): Promise<void> {
    const request = ++this.requests;
    this.wanted = true;
    const run = this.queue
      .catch(() => {})
      .then(() => (request === this.requests ? this.startNow(files) : undefined));
    this.queue = run.catch(() => {});
    return run;
  }

  private async startNow(files: Files): Promise<void> {
    const { runtime } = await this.runtime();
    // The old process stops while the new files go in: one round trip less per restart.
    const stopping = this.stopProcess();
    const generation = ++this.generation;
    this.readyByPort.clear();
    this.instanceUp = false;
    this.previewShown = false;
    this.on.status({ kind: 'starting' });
    const tree = this.tree(files);
    this.on.step?.({ kind: 'copying', files: Object.keys(tree).length });
    await Promise.all([stopping, runtime.mount(tree)]);
    if (generation === this.generation) this.on.step?.({ kind: 'spawning' });
    // A ready event of the old process (same lab, same PORT) may have come in meanwhile.
    this.readyByPort.clear();
    const [command = 'node', ...args] = this.bundle.manifest.run;
    this.on.note(`$ ${[command, ...args].join(' ')}`);
    const process = await runtime.spawn(command, args, {
      site: this.bundle.id,
      extraPorts: this.bundle.manifest.topology?.instances ?? 0,
    });
    if (generation !== this.generation) {
      await this.kill(process);
      return;
    }
    this.process = process;
    const demux = createOutputDemuxer();
    const take = ({ text, events, measurements }: DemuxedOutput) => {
      if (generation !== this.generation) return;
      if (text) this.on.output(text);
      for (const measurement of measurements) this.on.measure?.(measurement);
      for (const event of events) {
        if (event.type === 'instance' && event.state === 'up') this.instanceUp = true;
        if (event.type === 'balancer' || event.type === 'instance') this.maybeShowPreview();
        this.on.event(event);
      }
    };
    void pump(process.output, (chunk) => take(demux.push(chunk))).then(() => take(demux.end()));
    void process.exit.then((code) => {
      if (generation !== this.generation) return;
      this.process = null;
      this.wanted = false;
      this.on.preview(null);
      this.on.note(`[process exited with code ${code}]`);
      this.on.status({ kind: 'exited', code });
    });
    // Its server may have been ready before spawn() returned.
    this.maybeShowPreview();
  }

  async stop(): Promise<void> {
    this.requests += 1;
    const wasWanted = this.wanted;
    this.wanted = false;
    const hadProcess = this.process !== null;
    await this.stopProcess();
    if (hadProcess || wasWanted) {
      this.on.note('[stopped]');
      this.on.preview(null);
      this.on.status({ kind: 'stopped' });
    }
  }

  private async stopProcess(): Promise<void> {
    const process = this.process;
    this.generation += 1;
    this.process = null;
    if (process) await this.kill(process);
  }

  /** Kills a process; one that would not stop is reported, never thrown at the caller. */
  private async kill(process: RuntimeProcess): Promise<void> {
    try {
      await process.kill();
    } catch (error) {
      this.on.problem((error as Error).message);
    }
  }

  /** Sends a line to the running process's stdin (terminal input, topology kill/start). */
  async send(line: string): Promise<void> {
    await this.process?.write(line);
  }

  /**
   * Runs every check against `files` with a fresh nonce. The deadline kills the run, so a hung
   * learner server can never hang the page.
   */
  async check(
    files: Files,
    deadlineMs: number,
    callbacks: CheckRunCallbacks,
  ): Promise<CheckOutcome> {
    let runtime: Runtime;
    try {
      runtime = (await this.runtime()).runtime;
      await runtime.mount(this.tree(files));
    } catch (error) {
      return { kind: 'failed', message: (error as Error).message };
    }
    return runCheckProcess({
      runtime,
      command: this.bundle.checkCommand,
      deadlineMs,
      callbacks,
      kill: (process) => this.kill(process),
    });
  }

  /** Stops everything on the current backend and releases it, so another one can take over. */
  async switchRuntime(choice: RuntimeChoice): Promise<RuntimeSelection> {
    await this.stop();
    const previous = this.selection;
    this.selection = null;
    if (previous) {
      await previous.then(
        ({ runtime }) => runtime.teardown(),
        () => undefined,
      );
    }
    return this.runtime(choice);
  }

  async dispose(): Promise<void> {
    this.requests += 1;
    this.wanted = false;
    await this.stopProcess();
    this.unsubscribeReady?.();
  }
}
