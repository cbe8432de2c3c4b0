/**
 * The process of one Check run: spawn the lab's check command with a fresh nonce, read its trusted
 * result lines, and stop it at a deadline, so a hung learner server becomes a failed check instead
 * of a hung page. Kept apart from the session, which owns the Run process and lends this its runtime.
 */
import type { Runtime, RuntimeProcess } from '../../runtime/index.ts';
import {
  createCheckResultParser,
  createEventParser,
  createMeasureParser,
  type CheckResult,
  type Measurement,
  type SandboxEvent,
} from '../../sandbox/check-results.ts';
import { NONCE_ENV } from '../../sandbox/protocol.ts';
import { pump } from './stream-pump.ts';
import { settleWithin } from './settle-within.ts';

export interface CheckRunCallbacks {
  result(result: CheckResult): void;
  /** An event line a check printed (the load generator's progress). */
  event?(event: SandboxEvent): void;
  /** A number a check recorded for the learner. */
  measure?(measurement: Measurement): void;
}

export type CheckOutcome =
  | { kind: 'exited'; code: number; summary: boolean }
  | { kind: 'deadline' }
  | { kind: 'failed'; message: string };

export interface CheckRunOptions {
  runtime: Runtime;
  /** The check command from the lab's bundle: `node --test … checks/a.test.mjs`. */
  command: readonly string[];
  deadlineMs: number;
  callbacks: CheckRunCallbacks;
  /** Stops the run at its deadline; reports a process that would not stop instead of throwing. */
  kill(process: RuntimeProcess): Promise<void>;
}

/** How long the last output may trail the exit: the exit can overtake the final chunk. */
const DRAIN_MS = 1000;

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs the checks on files already mounted in `runtime`. */
export async function runCheckProcess(options: CheckRunOptions): Promise<CheckOutcome> {
  const { runtime, callbacks } = options;
  // A new nonce per run: a learner's print copied from an earlier run can never pass as a result.
  const nonce = randomNonce();
  let process: RuntimeProcess;
  try {
    const [command = 'node', ...args] = options.command;
    process = await runtime.spawn(command, args, { env: { [NONCE_ENV]: nonce }, task: true });
  } catch (error) {
    return { kind: 'failed', message: (error as Error).message };
  }
  const parser = createCheckResultParser(nonce);
  const measures = createMeasureParser();
  const events = createEventParser();
  let summary = false;
  const take = (
    lines: ReturnType<typeof parser.push>,
    measurements: Measurement[],
    printed: SandboxEvent[],
  ) => {
    for (const line of lines) {
      if (line.kind === 'result') callbacks.result(line.result);
      else summary = true;
    }
    for (const measurement of measurements) callbacks.measure?.(measurement);
    for (const event of printed) callbacks.event?.(event);
  };
  const reading = pump(process.output, (chunk) =>
    take(parser.push(chunk), measures.push(chunk), events.push(chunk)),
  ).then(() => take(parser.end(), measures.end(), events.end()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), options.deadlineMs);
  });
  const winner = await Promise.race([process.exit, deadline]);
  clearTimeout(timer);
  if (winner === 'deadline') {
    await options.kill(process);
    return { kind: 'deadline' };
  }
  await settleWithin(reading, DRAIN_MS);
  return { kind: 'exited', code: winner, summary };
}
