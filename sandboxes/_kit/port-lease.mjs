/**
 * Ports that no two kit processes on one machine are ever handed at the same time. Node built-ins
 * only; Node 20 and 22.
 *
 * Why not `listen(0)` and close: the port is free only until the probe closes. Between that close
 * and the learner's server binding it (node's start-up, seconds on a busy machine) another process
 * may take it. With `npm run grade` running several labs side by side, one check then spoke to
 * another lab's server and failed a correct answer with its 404. Two things close that window:
 *   - Ports come from 20000-31999, below the range Linux (32768+) and most systems hand out for
 *     `listen(0)` and for outgoing connections, so a burst of client sockets cannot take one.
 *   - Each port is leased with a file created exclusively (`wx`) in a shared folder. A lease lasts
 *     as long as the process that took it: released on exit, and treated as stale once that pid
 *     is gone (a process killed outright cannot release anything).
 * Where the file system refuses (a sandbox without a writable temp folder) a port is still probed,
 * as before; a lone check run has nobody to collide with.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LEASED_PORTS = { low: 20000, high: 32000 };
const DEFAULT_DIR = path.join(os.tmpdir(), 'svs-port-leases');
// A lease whose owner cannot be asked (pid unknown or reused) still ends eventually.
const STALE_AFTER_MS = 30 * 60 * 1000;

const held = new Map();

function ownerIsGone(file) {
  let text;
  let stat;
  try {
    text = fs.readFileSync(file, 'utf8');
    stat = fs.statSync(file);
  } catch {
    return false; // released while we looked: not ours to judge
  }
  if (Date.now() - stat.mtimeMs > STALE_AFTER_MS) return true;
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * Takes the lease on `port`. Returns true when this process now holds it (or leases are not
 * possible here), false when another live process holds it.
 */
export function takeLease(port, dir = DEFAULT_DIR) {
  const file = path.join(dir, String(port));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    held.set(port, file);
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') return true; // no shared folder: fall back to probing alone
    // A dead owner's lease is removed but not taken over here: two processes that both judged it
    // stale could otherwise both re-create it. The next `wx` create, by anyone, wins it cleanly.
    if (ownerIsGone(file)) fs.rmSync(file, { force: true });
    return false;
  }
}

export function releaseLease(port) {
  const file = held.get(port);
  if (!file) return;
  held.delete(port);
  fs.rmSync(file, { force: true });
}

export function releaseAllLeases() {
  for (const port of [...held.keys()]) releaseLease(port);
}

process.once('exit', releaseAllLeases);

/** A random port in the leased range; callers lease and probe it before use. */
export function candidatePort() {
  const { low, high } = LEASED_PORTS;
  return low + Math.floor(Math.random() * (high - low));
}
