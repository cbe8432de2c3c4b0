import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { accessSync, appendFileSync, constants as fsConstants, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRunnerRoot, GROUPS_FILE, sweepLeftovers } from './runner-root.ts';
import { removeTreeSync } from './cleanup.mjs';
import { startGuardian } from './guardian-link.ts';
import { DEFAULT_LIMITS, type RunnerLimits } from './limits.ts';
import { RequestGuard } from './guard.ts';
import { RunnerCore } from './runner-core.ts';
import { API_PREFIX, handleApi } from './http-api.ts';
import { createEventStream } from './event-stream.ts';

/**
 * The local runner: attach it to the server that serves the course on 127.0.0.1 (the `npm start`
 * server or the dev server). It answers everything under /__runner/ on the course origin and leaves
 * the rest alone. src/runner/README.md explains why each protection exists.
 */

export { DEFAULT_LIMITS, type RunnerLimits } from './limits.ts';

export interface RunnerOptions {
  /** The course server's port; a function when it is only known once the server listens. */
  coursePort: number | (() => number);
  /** Accepted for symmetry with the course server; the runner always allows 127.0.0.1 and localhost. */
  host?: string;
  log?: (message: string) => void;
  limits?: Partial<RunnerLimits>;
  /**
   * Kill every process group and delete the temp folders on SIGINT/SIGTERM/SIGHUP (and on exit).
   * When the runner's handler is the only one for the signal, it then exits the process as the
   * default would.
   */
  handleSignals?: boolean;
  /** The `node` that sandbox processes run; default SVS_NODE_BINARY, else this process's own. */
  nodeBinary?: string;
  /** Only programs of this user get the token (Linux); default the runner's own. For tests. */
  ownerUid?: number;
}

/** SIGHUP is what a closed terminal sends; it must clean up like Ctrl-C. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface Runner {
  /** Handles (and returns true for) requests under /__runner/; returns false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles the event-stream upgrade under /__runner/; returns false for other upgrades (HMR). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Kills every process group, removes the temp folders and closes the previews. Idempotent. */
  close(): Promise<void>;
}

export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const log = options.log ?? (() => {});
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const nodeBinary = checkedNodeBinary(options.nodeBinary ?? process.env['SVS_NODE_BINARY']);
  const swept = await sweepLeftovers(log);
  if (swept) log(`removed ${swept} leftover sandbox folder(s)`);
  const root = await createRunnerRoot();
  // Ends this runner's sandbox processes and folder if the runner dies without cleaning up.
  const guardian = startGuardian(root, log);
  const coursePort = options.coursePort;
  const guard = new RequestGuard(
    typeof coursePort === 'number' ? () => coursePort : coursePort,
    randomBytes(32).toString('hex'),
    options.ownerUid ?? process.getuid?.(),
  );
  const core = new RunnerCore(root, limits, log, {
    nodeBinary,
    recordGroup(pgid, startTime) {
      guardian.track(pgid, startTime);
      try {
        // On disk too, for the next start's sweep in case the guardian was killed as well.
        appendFileSync(join(root, GROUPS_FILE), `${pgid} ${startTime}\n`);
      } catch (error) {
        log(`could not record process group ${pgid}: ${(error as Error).message}`);
      }
    },
  });
  const stream = createEventStream(core, guard);

  const removeRoot = () => {
    const problem = removeTreeSync(root);
    if (problem) log(`could not delete ${root}: ${problem}`);
  };
  const stopSync = () => {
    core.stopEverythingSync();
    removeRoot();
    guardian.release();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    if (process.listenerCount(signal) === 1) process.exit(128 + (constants.signals[signal] ?? 0));
  };
  if (options.handleSignals ?? true)
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  process.on('exit', stopSync);

  let closed: Promise<void> | undefined;
  return {
    handle(req, res) {
      if (!req.url?.startsWith(API_PREFIX)) return false;
      handleApi(core, guard, req, res).catch((error: Error) =>
        log(`runner error: ${error.message}`),
      );
      return true;
    },
    handleUpgrade(req, socket, head) {
      if (!req.url?.startsWith(API_PREFIX)) return false;
      stream.handleUpgrade(req, socket, head);
      return true;
    },
    close() {
      closed ??= (async () => {
        for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
        process.off('exit', stopSync);
        stream.close();
        await core.close();
        removeRoot();
        guardian.release();
      })();
      return closed;
    },
  };
}

/** The node binary for sandbox processes; a wrong SVS_NODE_BINARY is refused at start, by name. */
function checkedNodeBinary(configured: string | undefined): string {
  if (!configured) return process.execPath;
  try {
    accessSync(configured, fsConstants.X_OK);
    if (!statSync(configured).isFile()) throw new Error('not a file');
  } catch {
    throw new Error(
      `SVS_NODE_BINARY is "${configured}", which is not an executable file; set it to a node binary or unset it`,
    );
  }
  return configured;
}
