// @ts-check
/**
 * Finding and ending what sandbox code started, and deleting what it left on disk. Plain
 * JavaScript with Node built-ins only, because the guardian (guardian.mjs) runs it in a bare
 * `node` without the TypeScript loader the runner itself runs under.
 *
 * A sandbox process is recognised by any of:
 *  - its process group, recorded as `pgid startTime` so a reused number is never mistaken for it;
 *  - the SANDBOX_ENV variable the runner puts in its environment (children inherit it, so a child
 *    started with `detached: true` that left the group still carries it);
 *  - being a descendant (by parent pid) of a sandbox process;
 *  - a working directory inside the sandbox folder (for a child that also dropped the variable).
 * Only Linux exposes all of this through /proc; elsewhere only process groups are signalled.
 */
import { chmodSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** `<page folder>#<process id>`: names the process, its page and (by prefix) its runner. */
export const SANDBOX_ENV = 'SVS_SANDBOX';

/**
 * @typedef {{ pid: number, ppid: number, pgid: number, state: string, startTime: string }} ProcessInfo
 * @typedef {{ pgid: number, startTime: string }} GroupRecord
 * @typedef {{
 *   groups?: GroupRecord[],
 *   marker?: string,
 *   markerPrefix?: string,
 *   folder?: string,
 *   ancestors?: number[],
 *   startedAfter?: number,
 * }} SandboxMatch
 */

/** @returns {ProcessInfo[]} every process this user can see, from /proc (empty off Linux) */
export function readProcessTable() {
  /** @type {ProcessInfo[]} */
  const table = [];
  let names;
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = processInfo(Number(name));
    if (info) table.push(info);
  }
  return table;
}

/** @param {number} pid @returns {ProcessInfo | null} */
export function processInfo(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited while we looked, or not Linux
  }
  // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice threads itrealvalue starttime …": comm may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startTime: fields[19] ?? '',
  };
}

/** A zombie runs no code and holds no port; it only waits for its parent to reap it. */
function isLive(/** @type {ProcessInfo} */ info) {
  return info.state !== 'Z' && info.state !== 'X';
}

/**
 * The live processes that `match` names, never this process or its ancestors.
 * @param {SandboxMatch} match
 * @returns {number[]}
 */
export function findSandboxProcesses(match) {
  const table = readProcessTable().filter(isLive);
  const byPid = new Map(table.map((info) => [info.pid, info]));
  const protectedPids = new Set();
  for (let pid = process.pid; pid > 1 && !protectedPids.has(pid);) {
    protectedPids.add(pid);
    pid = byPid.get(pid)?.ppid ?? 0;
  }
  const groups = new Set((match.groups ?? []).filter(groupIsOurs).map((group) => group.pgid));
  const found = new Set();
  for (const info of table) {
    if (protectedPids.has(info.pid)) continue;
    if (groups.has(info.pgid)) found.add(info.pid);
    // Reading every process's environment is the slow part; older processes cannot be ours.
    else if (match.startedAfter && Number(info.startTime) < match.startedAfter) continue;
    else if (
      (match.marker && environHas(info.pid, (line) => line === `${SANDBOX_ENV}=${match.marker}`)) ||
      (match.markerPrefix &&
        environHas(info.pid, (line) => line.startsWith(`${SANDBOX_ENV}=${match.markerPrefix}`))) ||
      (match.folder && cwdInside(info.pid, match.folder))
    )
      found.add(info.pid);
  }
  // Descendants of anything found (or of the given ancestors), however they detached.
  const roots = new Set([...found, ...(match.ancestors ?? [])]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of table) {
      if (roots.has(info.pid) || protectedPids.has(info.pid) || !roots.has(info.ppid)) continue;
      roots.add(info.pid);
      found.add(info.pid);
      grew = true;
    }
  }
  return [...found];
}

/**
 * Signals every recorded group and every process `match` finds. Returns how many it signalled.
 * @param {SandboxMatch} match
 * @param {NodeJS.Signals} signal
 */
export function signalSandboxProcesses(match, signal) {
  for (const group of match.groups ?? []) if (groupIsOurs(group)) signal_(-group.pgid, signal);
  const pids = findSandboxProcesses(match);
  for (const pid of pids) signal_(pid, signal);
  return pids.length;
}

/**
 * A recorded group is still the one the runner started when its leader is the same process (same
 * start time), or when the leader is gone but members remain: Linux never hands out a number that
 * is still in use as a group id, so surviving members belong to the original group.
 * @param {GroupRecord} group
 */
export function groupIsOurs(group) {
  const leader = processInfo(group.pgid);
  if (leader) return isLive(leader) && (!group.startTime || leader.startTime === group.startTime);
  return true;
}

/** @param {number} pid @param {NodeJS.Signals} signal */
function signal_(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone; EPERM: not ours to signal
  }
}

/** @param {number} pid @param {(line: string) => boolean} test */
function environHas(pid, test) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').some(test);
  } catch {
    return false; // another user's process, or it exited
  }
}

/** @param {number} pid @param {string} folder */
function cwdInside(pid, folder) {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === folder || cwd.startsWith(`${folder}/`);
  } catch {
    return false;
  }
}

/**
 * Deletes a folder tree that sandbox code may have made read-only (`chmod 0o500`): write and
 * search permission are restored, without following symlinks, before deleting. Never throws:
 * returns why it could not delete everything, or null.
 * @param {string} path
 * @returns {string | null}
 */
export function removeTreeSync(path) {
  try {
    restoreWritePermission(path);
  } catch {
    // best effort: rmSync below reports what is still in the way
  }
  try {
    rmSync(path, { recursive: true, force: true });
    return null;
  } catch (error) {
    return `${/** @type {Error} */ (error).message}`;
  }
}

/** @param {string} path */
function restoreWritePermission(path) {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (!stats.isDirectory()) return;
  if ((stats.mode & 0o700) !== 0o700) chmodSync(path, (stats.mode & 0o7777) | 0o700);
  for (const name of readdirSync(path)) restoreWritePermission(join(path, name));
}

/** Whether `path` belongs to another account (a shared temp dir may hold anyone's folders). */
export function ownedByAnotherUser(/** @type {string} */ path) {
  if (typeof process.getuid !== 'function') return false;
  try {
    return lstatSync(path).uid !== process.getuid();
  } catch {
    return false;
  }
}
