/**
 * The contract between the learner's workspace UI and whatever runs the learner's code.
 *
 * It is shaped after the `@webcontainer/api` surface on purpose: the WebContainer backend then
 * stays a thin adapter, and the local backend mirrors the same calls over HTTP + a stream.
 * UI code imports only from `src/runtime/index.ts`, never from a backend folder.
 */

/** Which backend runs the code. `auto` is a selection policy, not a backend. */
export type RuntimeKind = 'webcontainer' | 'local';
export type RuntimeChoice = RuntimeKind | 'auto';

/** A file tree as plain text files keyed by POSIX relative path (`lib/store.js`). */
export type FileTree = Readonly<Record<string, string>>;

export interface SpawnOptions {
  /** Extra environment. `PORT`, `HOST` and `SVS_PORTS` are set by the backend, never by the caller. */
  env?: Readonly<Record<string, string>>;
  /** Working directory relative to the sandbox root. Defaults to the root. */
  cwd?: string;
  /**
   * Ports the process needs besides its own PORT (a load balancer's instances), handed over as
   * `SVS_PORTS=p1,p2,…`. Default 0.
   */
  extraPorts?: number;
  /**
   * Set for a lab's main process: the lab's id. The process then gets the same PORT every time it
   * starts on this page, and its preview gets an origin of its own that no other lab shares, so
   * cookies and storage set in the preview survive a restart and never leak between labs.
   */
  site?: string;
  /** A process that is not a server (a check run): nobody waits for it to listen. */
  task?: boolean;
}

export interface RuntimeProcess {
  /** The PORT the backend gave the process (its server listens there). */
  readonly port: number;
  /** Every chunk of stdout and stderr, interleaved as produced, as text. */
  readonly output: ReadableStream<string>;
  /** Resolves with the exit code once the process is gone. Killed processes resolve too. */
  readonly exit: Promise<number>;
  /** Writes to the process's stdin (for example the load balancer's `kill 2`). */
  write(data: string): Promise<void>;
  /**
   * Stops the process and everything it started: first a `shutdown` line on its stdin (the kit's
   * supervisors stop their children on it), then the backend's kill. Idempotent. Rejects with a
   * `still-running` RuntimeError naming what would not stop.
   */
  kill(): Promise<void>;
}

/** Emitted when a process in the sandbox starts listening on a port the backend gave it. */
export interface ServerReadyEvent {
  port: number;
  /** Where the preview iframe can load the server from (its own origin, never the course's). */
  url: string;
}

export type RuntimeErrorCode =
  /** The page lacks COOP/COEP, so SharedArrayBuffer (and WebContainer) is unavailable. */
  | 'not-isolated'
  /** The browser cannot run WebContainers at all. */
  | 'unsupported'
  /** WebContainer's service could not be reached, or its frame never answered (offline, blocked). */
  | 'service-unreachable'
  /** Third-party storage or cookies are blocked, which WebContainer needs. */
  | 'storage-blocked'
  /** The local runner did not answer (not started with `npm start`, or stopped). */
  | 'runner-unreachable'
  /** The local runner refused the request (bad token, bad path, over a cap). */
  | 'rejected'
  /** A process (or a server it started) did not stop when told to; the message names it. */
  | 'still-running'
  /** Anything else; the message says what. */
  | 'failed';

/** Errors a backend throws carry a code the UI can turn into a specific, helpful message. */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
    this.code = code;
  }
}

/**
 * A named step of getting a runtime ready, so a wait of seconds reads as progress rather than a
 * frozen page: `loading` its client code, then `connecting` to the local runner or `booting` Node
 * in the browser.
 */
export type BootStep = 'loading' | 'connecting' | 'booting';

export interface BootProgress {
  kind: RuntimeKind;
  step: BootStep;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /**
   * Idempotent: the second call returns the first call's promise. Rejects with a RuntimeError.
   * `onStep` hears the steps of a boot this call starts (a repeated call hears none).
   */
  boot(onStep?: (progress: BootProgress) => void): Promise<void>;
  /** Replaces the sandbox's files with this tree (files not in it are removed). */
  mount(tree: FileTree): Promise<void>;
  /** Starts `command args…` in the sandbox. `command` is `node` for every sandbox we ship. */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): Promise<RuntimeProcess>;
  /** Subscribes to server-ready events; returns an unsubscribe function. */
  onServerReady(listener: (event: ServerReadyEvent) => void): () => void;
  /** Kills every process and releases the sandbox. The runtime can be booted again afterwards. */
  teardown(): Promise<void>;
}

/** The line every runtime writes to a process's stdin before killing it. */
export const SHUTDOWN_LINE = 'shutdown\n';
