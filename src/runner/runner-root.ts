import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ownedByAnotherUser,
  removeTreeSync,
  signalSandboxProcesses,
  type GroupRecord,
} from './cleanup.mjs';

/**
 * The runner's footprint on disk: one root directory per runner process under the OS temp dir,
 * named with the runner's pid so a later start can tell leftovers (dead pid) from a runner that is
 * still alive (the dev server and `npm start` may run side by side), and one `mkdtemp` directory
 * per page inside it. The root also holds GROUPS_FILE, the process groups the runner started.
 */

export const TEMP_PREFIX = 'svs-runner-';
export const GROUPS_FILE = 'process-groups';

export async function createRunnerRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
}

/**
 * Ends the processes and removes the folders of runners that died without cleaning up (their
 * guardian died too). Folders of another account are left alone: a shared temp dir may hold
 * anyone's, and a folder planted there must not stop this start. Returns how many were removed.
 */
export async function sweepLeftovers(log: (message: string) => void): Promise<number> {
  let removed = 0;
  for (const name of safeReaddir(tmpdir())) {
    const match = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const root = join(tmpdir(), name);
    if (ownedByAnotherUser(root)) {
      log(`left ${root} alone: it belongs to another user`);
      continue;
    }
    const sandbox = { groups: recordedGroups(root), markerPrefix: `${root}/`, folder: root };
    for (let round = 0; round < 20 && signalSandboxProcesses(sandbox, 'SIGKILL') > 0; round++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const problem = removeTreeSync(root);
    if (problem) log(`could not delete leftover ${root}: ${problem}`);
    else removed++;
  }
  return removed;
}

function recordedGroups(root: string): GroupRecord[] {
  let text = '';
  try {
    text = readFileSync(join(root, GROUPS_FILE), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([pgid]) => Number(pgid) > 1)
    .map(([pgid, startTime]) => ({ pgid: Number(pgid), startTime: startTime ?? '' }));
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is not our dead runner.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
