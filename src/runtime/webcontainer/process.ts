/**
 * Wraps a WebContainer process in the contract's RuntimeProcess: `exit` settles even when the
 * container never reports a killed process's code, and `output` ends shortly after exit even if
 * the container leaves its stream open, so a UI reading to the end never hangs.
 *
 * Stopping: WebContainer's `kill()` ends that one process (there are no process groups, and a
 * child may never see a signal), so a `shutdown` line goes to stdin first: the kit's balancer,
 * store and check helpers stop their own children on it. A process that ignores it is killed
 * after a short grace.
 */
import { RuntimeError, SHUTDOWN_LINE, type RuntimeProcess } from '../types.ts';
import type { ContainerProcess } from './surface.ts';

/** What a shell reports for a process stopped by SIGTERM; used when the container doesn't say. */
export const KILLED_EXIT_CODE = 143;

export interface ProcessTimings {
  /** How long a process has to exit on its own after the `shutdown` line. */
  shutdownGraceMs: number;
  /** How long `kill()` waits for the container's own exit code. */
  killGraceMs: number;
  /** How long output may keep flowing after exit before the stream is closed. */
  outputDrainMs: number;
}

export interface WrapOptions {
  port: number;
  /** `node server.js`, for messages. */
  label: string;
  timings: ProcessTimings;
  onExit(): void;
  /** After the process is gone: rejects with a `still-running` error naming what outlived it. */
  afterStop(): Promise<void>;
}

export function wrapProcess(process: ContainerProcess, options: WrapOptions): RuntimeProcess {
  const { timings } = options;
  let resolveExit: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  let exited = false;
  let reported = false;
  const settle = (code: number, byContainer: boolean): void => {
    if (exited) return;
    exited = true;
    reported = byContainer;
    resolveExit(code);
    options.onExit();
  };
  process.exit.then(
    (code) => settle(code, true),
    () => settle(1, true),
  );

  let writer: WritableStreamDefaultWriter<string> | null = null;
  const write = async (data: string): Promise<void> => {
    // One writer for the process's life: getWriter() locks the stream.
    writer ??= process.input.getWriter();
    await writer.write(data);
  };
  let stopping: Promise<void> | null = null;

  async function stop(): Promise<void> {
    if (!exited) {
      await Promise.race([write(SHUTDOWN_LINE).catch(() => {}), delay(timings.shutdownGraceMs)]);
      await Promise.race([exit, delay(timings.shutdownGraceMs)]);
    }
    if (!exited) {
      process.kill();
      await Promise.race([exit, delay(timings.killGraceMs)]);
      settle(KILLED_EXIT_CODE, false);
    }
    // The container never confirmed the exit: it may well still be running.
    const confirmed = reported;
    await options.afterStop();
    if (!confirmed) {
      throw new RuntimeError(
        'still-running',
        `\`${options.label}\` (PORT ${options.port}) did not stop when asked; it may still be running. Reload the page to be sure it is gone.`,
      );
    }
  }

  return {
    port: options.port,
    output: closeAfterExit(process.output, exit, timings.outputDrainMs),
    exit,
    async write(data) {
      if (exited) throw new RuntimeError('failed', 'The process has already stopped.');
      await write(data);
    },
    kill() {
      stopping ??= stop();
      return stopping;
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function closeAfterExit(
  source: ReadableStream<string>,
  exit: Promise<number>,
  drainMs: number,
): ReadableStream<string> {
  const reader = source.getReader();
  const drained = exit.then(() => delay(drainMs)).then(() => 'drained' as const);
  return new ReadableStream<string>({
    async pull(controller) {
      const next = await Promise.race([reader.read(), drained]);
      if (next === 'drained') {
        void reader.cancel().catch(() => {});
        controller.close();
      } else if (next.done) {
        controller.close();
      } else {
        controller.enqueue(next.value);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
