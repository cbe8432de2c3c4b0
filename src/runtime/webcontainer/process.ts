/**
 * Wraps a WebContainer process in the contract's RuntimeProcess: `exit` settles even when the
 * container never reports a killed process's code, and `output` ends shortly after exit even if
 * the container leaves its stream open, so a UI reading to the end never hangs.
 */
import { RuntimeError, type RuntimeProcess } from '../types.ts';
import type { ContainerProcess } from './surface.ts';

/** What a shell reports for a process stopped by SIGTERM; used when the container doesn't say. */
export const KILLED_EXIT_CODE = 143;

export interface ProcessTimings {
  /** How long `kill()` waits for the container's own exit code. */
  killGraceMs: number;
  /** How long output may keep flowing after exit before the stream is closed. */
  outputDrainMs: number;
}

export function wrapProcess(
  process: ContainerProcess,
  timings: ProcessTimings,
  onExit: () => void,
): RuntimeProcess {
  let resolveExit: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  let exited = false;
  const settle = (code: number): void => {
    if (exited) return;
    exited = true;
    resolveExit(code);
    onExit();
  };
  process.exit.then(settle, () => settle(1));

  let writer: WritableStreamDefaultWriter<string> | null = null;

  return {
    output: closeAfterExit(process.output, exit, timings.outputDrainMs),
    exit,
    async write(data) {
      if (exited) throw new RuntimeError('failed', 'The process has already stopped.');
      // One writer for the process's life: getWriter() locks the stream.
      writer ??= process.input.getWriter();
      await writer.write(data);
    },
    async kill() {
      if (!exited) {
        process.kill();
        await Promise.race([exit, delay(timings.killGraceMs)]);
        settle(KILLED_EXIT_CODE);
      }
      await exit;
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
