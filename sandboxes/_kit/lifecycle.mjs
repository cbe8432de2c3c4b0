/**
 * How a kit process that starts children (balancer, store, check helpers) makes sure none of them
 * outlives it. Node built-ins only; Node 20 and 22.
 *
 * A runtime ends a process by sending `shutdown` on its stdin and then killing it; some runtimes
 * kill only that one process and run no signal handler. So a kit process stops its children on any
 * of these, whichever comes first:
 *   - a `shutdown` line on stdin;
 *   - stdin closing (the pipe's other end, our parent, is gone or done with us);
 *   - the parent process going away (polled: the process is re-parented or the pid is gone);
 *   - SIGTERM, SIGINT or SIGHUP, where the platform delivers them.
 * Every child it starts is spawned through `spawnNode`, which preloads orphan-guard.mjs, so even a
 * kit process killed outright leaves no child behind for long.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';

const GUARD = new URL('./orphan-guard.mjs', import.meta.url).href;

/** `node <args>` with the orphan guard preloaded. Same options as child_process.spawn. */
export function spawnNode(args, options) {
  return spawn(process.execPath, ['--import', GUARD, ...args], options);
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

/**
 * Stops a child: SIGTERM, then SIGKILL after `graceMs`. Resolves once it has exited (or after a
 * last short wait if even SIGKILL is not reported, so a caller can never hang here).
 */
export async function stopChild(child, { graceMs = 1000 } = {}) {
  if (!child || exited(child)) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  const send = (signal) => {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  };
  if (graceMs > 0) {
    send('SIGTERM');
    const timer = setTimeout(() => send('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
    return;
  }
  send('SIGKILL');
  await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}

function parentGone(original) {
  if (process.ppid !== original) return true;
  try {
    process.kill(original, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * Calls `onShutdown(reason)` once, on the first of the triggers above. Other stdin lines go to
 * `onCommand(line)`; without `onCommand`, stdin is watched without keeping the process alive.
 * `reason` is 'shutdown', 'stdin closed', 'parent gone' or a signal name.
 */
export function watchLifecycle({ onShutdown, onCommand, pollMs = 250 }) {
  let done = false;
  const trigger = (reason) => {
    if (done) return;
    done = true;
    onShutdown(reason);
  };

  // A file or /dev/null on stdin ends at once and says nothing about our parent: only a pipe or
  // terminal (both sockets here, the only streams with unref) counts as a lifeline.
  const stdin = process.stdin;
  if (typeof stdin.unref === 'function') {
    const lines = readline.createInterface({ input: stdin });
    lines.on('line', (line) => {
      const text = line.trim();
      if (text === 'shutdown') trigger('shutdown');
      else if (text && onCommand) onCommand(text);
    });
    lines.on('close', () => trigger('stdin closed'));
    if (!onCommand) stdin.unref();
  }

  const original = process.ppid;
  if (original > 1) {
    setInterval(() => {
      if (parentGone(original)) trigger('parent gone');
    }, pollMs).unref();
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => trigger(signal));
  return { trigger };
}
