import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunner } from '../../../src/runner/index.ts';
import { isRunning, liveProcessesInGroup, waitFor } from './harness.ts';
import { guardianOf, startRunnerProcess, type RunnerProcess } from './runner-process.ts';

/** Starts a child that ignores SIGTERM and spins, so only a real kill ends either. */
const PARENT_WITH_CHILD = `const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('pids ' + process.pid + ' ' + child.pid);
process.on('SIGTERM', () => {});
for (;;) {}`;

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function runnerFolders(pid: number): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`svs-runner-${pid}-`));
}

/** Starts PARENT_WITH_CHILD in the runner; returns the leader's and its child's pids. */
async function startBusyFamily(runner: RunnerProcess): Promise<[number, number]> {
  const page = await runner.openPage();
  expect((await runner.call('mount', { files: { 'parent.js': PARENT_WITH_CHILD } })).status).toBe(
    200,
  );
  const spawned = JSON.parse(
    (await runner.call('spawn', { command: 'node', args: ['parent.js'], expectsServer: false }))
      .text,
  ) as { process: string };
  await page.next(
    'output',
    (event) => event.process === spawned.process && /pids/.test(event.data),
  );
  const [leader, child] = /pids (\d+) (\d+)/
    .exec(page.output(spawned.process))!
    .slice(1)
    .map(Number);
  return [leader!, child!];
}

/** A runner folder left by a runner that died (its pid is free), with a read-only folder inside. */
function plantLeftover(owner?: number, tmp = tmpdir()): string {
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
  const root = join(tmp, `svs-runner-${deadPid}-planted${owner ?? ''}`);
  mkdirSync(join(root, 'page-x', 'locked'), { recursive: true });
  writeFileSync(join(root, 'page-x', 'locked', 'file.txt'), 'x');
  if (owner !== undefined) {
    for (const path of [root, join(root, 'page-x'), join(root, 'page-x', 'locked')])
      chownSync(path, owner, owner);
    chownSync(join(root, 'page-x', 'locked', 'file.txt'), owner, owner);
  }
  chmodSync(join(root, 'page-x', 'locked'), 0o500);
  return root;
}

// Each test starts a runner process of its own (tsx compiles it first): slow on a busy machine.
describe('runner shutdown', { timeout: 90_000 }, () => {
  it.each(['SIGTERM', 'SIGHUP'] as const)(
    'stopped with %s, it leaves no sandbox process and no temp folder',
    async (signal) => {
      const runner = await startRunnerProcess();
      const [leader, child] = await startBusyFamily(runner);
      expect(runner.folders()).toHaveLength(1);
      runner.child.kill(signal);
      await runner.exited;
      await waitFor(
        'the sandbox processes are gone',
        () => !isRunning(leader) && !isRunning(child),
      );
      expect(runner.folders()).toEqual([]);
    },
  );

  it('killed with SIGKILL, its guardian ends the sandbox processes and deletes the folder', async () => {
    const runner = await startRunnerProcess();
    const [leader, child] = await startBusyFamily(runner);
    const guardian = guardianOf(runner.pid);
    expect(guardian).toBeDefined();
    runner.child.kill('SIGKILL');
    await runner.exited;
    await waitFor('the sandbox processes are gone', () => !isRunning(leader) && !isRunning(child));
    await waitFor('the folder is gone', () => runner.folders().length === 0);
    await waitFor('the guardian exited', () => !isRunning(guardian!));
  });

  it('the next start ends the recorded processes of a runner that died with its guardian', async () => {
    const runner = await startRunnerProcess();
    const [leader, child] = await startBusyFamily(runner);
    const guardian = guardianOf(runner.pid)!;
    process.kill(guardian, 'SIGKILL');
    runner.child.kill('SIGKILL');
    await runner.exited;
    await waitFor('the guardian is gone', () => !isRunning(guardian));
    expect(isRunning(leader) && isRunning(child)).toBe(true);
    const logged: string[] = [];
    const next = await createRunner({
      coursePort: 1,
      handleSignals: false,
      log: (line) => logged.push(line),
    });
    try {
      await waitFor(
        'the leftover processes are gone',
        () => !isRunning(leader) && !isRunning(child),
      );
      expect(await liveProcessesInGroup(leader)).toEqual([]);
      expect(runnerFolders(runner.pid)).toEqual([]);
      expect(logged.join('\n')).toMatch(/removed \d+ leftover/);
    } finally {
      await next.close();
    }
  });

  it('sweeps folders left behind by a runner that died, but not those of a live runner', async () => {
    const leftover = plantLeftover();
    const alive = join(tmpdir(), `svs-runner-${process.pid}-alive`);
    mkdirSync(alive, { recursive: true });
    const runner = await createRunner({ coursePort: 1, handleSignals: false });
    try {
      expect(existsSync(leftover)).toBe(false);
      expect(runnerFolders(process.pid)).toContain(`svs-runner-${process.pid}-alive`);
    } finally {
      await runner.close();
      spawnSync('rm', ['-rf', alive]);
    }
  });

  // Root may write anywhere, so the runner under test runs as another account when we are root.
  const uid = asRoot ? NOBODY : undefined;

  it('a read-only folder made by sandbox code is deleted when the tab closes, and the server lives on', async () => {
    const runner = await startRunnerProcess({ uid, limits: { pageGraceMs: 200 } });
    try {
      const page = await runner.openPage();
      const code = `const fs = require('node:fs'); fs.mkdirSync('locked'); fs.writeFileSync('locked/f.txt', 'x'); fs.chmodSync('locked', 0o500);`;
      expect((await runner.call('mount', { files: { 'lock.js': code } })).status).toBe(200);
      const spawned = JSON.parse(
        (await runner.call('spawn', { command: 'node', args: ['lock.js'], expectsServer: false }))
          .text,
      ) as { process: string };
      const exit = await page.next('exit', (event) => event.process === spawned.process);
      expect(exit.code).toBe(0);
      const [root] = runner.folders();
      expect(
        readdirSync(join(tmpdir(), root!)).filter((name) => name.startsWith('page-')),
      ).toHaveLength(1);
      page.socket.close(); // the tab is closed
      await waitFor('the page folder is deleted', () =>
        readdirSync(join(tmpdir(), root!)).every((name) => !name.startsWith('page-')),
      );
      // Still serving: the forgotten page is refused by a live server, not by a dead socket.
      const answer = await runner.call('mount', { files: {} });
      expect(answer.status).toBe(404);
      expect(answer.text).toMatch(/unknown page/);
    } finally {
      runner.child.kill('SIGTERM');
      await runner.exited;
    }
    expect(runner.folders()).toEqual([]);
  });

  /** A temp dir of the test's own, writable by every account like /tmp. */
  function privateTmp(): string {
    const tmp = mkdtempSync(join(tmpdir(), 'svs-shared-tmp-'));
    chmodSync(tmp, 0o1777);
    return tmp;
  }

  it('a leftover read-only folder does not stop the next start, and is deleted', async () => {
    const tmp = privateTmp();
    try {
      const leftover = plantLeftover(uid, tmp);
      const runner = await startRunnerProcess({ uid, tmp });
      runner.child.kill('SIGTERM');
      await runner.exited;
      expect(existsSync(leftover)).toBe(false);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.runIf(asRoot)(
    'a leftover of another account is left alone, and the start goes on',
    async () => {
      const tmp = privateTmp();
      try {
        const planted = plantLeftover(undefined, tmp); // owned by root, the runner runs as nobody
        const runner = await startRunnerProcess({ uid: NOBODY, tmp });
        runner.child.kill('SIGTERM');
        await runner.exited;
        expect(existsSync(planted)).toBe(true);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  );
});
