/**
 * Check helpers, part 2: waiting for something to become true, with a deadline, instead of
 * sleeping and hoping. Node built-ins only; Node 20 and 22.
 */
import {
  CheckError,
  CheckTimeoutError,
  exitDescription,
  lastOutput,
  seconds,
} from './check-process.mjs';
import { sleep } from './net.mjs';

/**
 * Polls `condition` (sync or async) until it returns something truthy, and resolves with that.
 * After `timeout` ms the check fails with "<message> within <n> s", plus the last error the
 * condition threw, if any. `interval` is the pause between tries.
 *
 *   await waitFor(async () => (await client.get('/')).status === 200, {
 *     timeout: 3000, message: 'Your server did not answer 200 again after the store came back',
 *   });
 */
export async function waitFor(condition, { timeout = 5000, interval = 25, message } = {}) {
  const deadline = Date.now() + timeout;
  let lastError = null;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
      lastError = null;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = message ?? 'The condition did not hold';
      const why = lastError ? ` Last attempt: ${lastError.message}` : '';
      throw new CheckTimeoutError(`${what} within ${seconds(timeout)}.${why}`);
    }
    await sleep(interval);
  }
}

/**
 * Events a kit process printed, and a way to wait for the next one that matches. `onEvent` sees
 * each event before any waiter does, so state derived from events is current when they look.
 */
export function eventChannel({ onEvent = () => {} } = {}) {
  const events = [];
  const waiters = new Set();
  return {
    events,
    push(event) {
      events.push(event);
      onEvent(event);
      for (const waiter of waiters) waiter();
    },
    /**
     * Resolves with the first event from index `from` on that `match`es; rejects with `what`
     * when `proc` exits or `timeoutMs` passes, or with problem()'s sentence if it returns one.
     */
    next(match, { from = 0, timeoutMs, what, proc, output = () => proc.output, problem }) {
      return new Promise((resolve, reject) => {
        const settle = (error, value) => {
          waiters.delete(check);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(value);
        };
        function check() {
          const found = events.slice(from).find(match);
          const issue = problem?.();
          if (issue) settle(new CheckError(`${issue}${lastOutput(output())}`));
          else if (found) settle(null, found);
          else if (proc.exitInfo) {
            settle(
              new CheckError(
                `${what}: the process ${exitDescription(proc.exitInfo)}.${lastOutput(output())}`,
              ),
            );
          }
        }
        const timer = setTimeout(
          () =>
            settle(
              new CheckTimeoutError(`${what} within ${seconds(timeoutMs)}.${lastOutput(output())}`),
            ),
          timeoutMs,
        );
        waiters.add(check);
        proc.exited.then(check);
        check();
      });
    },
  };
}

/** Feeds a channel from a process's output lines; returns the line handler. */
export function eventLines(channel, marker, onOther = () => {}) {
  const prefix = `${marker} `;
  return (line) => {
    if (!line.startsWith(prefix)) return onOther(line);
    try {
      channel.push(JSON.parse(line.slice(prefix.length)));
    } catch {
      onOther(line);
    }
    return undefined;
  };
}
