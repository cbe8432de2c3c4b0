import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { rmSync } from 'node:fs';
import { createRunnerRoot, sweepLeftovers } from './sandbox-dir.ts';
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
   * Kill every process group and delete the temp folders on SIGINT/SIGTERM (and on exit). When the
   * runner's handler is the only one for the signal, it then exits the process as the default would.
   */
  handleSignals?: boolean;
}

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
  const swept = sweepLeftovers();
  if (swept) log(`removed ${swept} leftover sandbox folder(s)`);
  const root = await createRunnerRoot();
  const coursePort = options.coursePort;
  const guard = new RequestGuard(
    typeof coursePort === 'number' ? () => coursePort : coursePort,
    randomBytes(32).toString('hex'),
  );
  const core = new RunnerCore(root, limits, log);
  const stream = createEventStream(core, guard);

  const stopSync = () => {
    core.stopEverythingSync();
    rmSync(root, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    if (process.listenerCount(signal) === 1) process.exit(128 + (constants.signals[signal] ?? 0));
  };
  if (options.handleSignals ?? true) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
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
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('exit', stopSync);
        stream.close();
        await core.close();
        rmSync(root, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
