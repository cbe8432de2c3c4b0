import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRunner } from '../../../src/runner/index.ts';
import { liveProcessesInGroup, openPage, post } from './harness.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/serve-runner.ts', import.meta.url));

const PARENT_WITH_CHILD = `const { spawn } = require('node:child_process');
spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('leader ' + process.pid);
setInterval(() => {}, 1000);`;

function runnerFolders(pid: number): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`svs-runner-${pid}-`));
}

describe('runner shutdown', () => {
  it('killed with SIGTERM, it leaves no child process and no temp folder', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const first = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk;
        if (text.includes('\n')) resolve(text.split('\n')[0]!);
      });
    });
    const { port, token } = JSON.parse(first) as { port: number; token: string };
    const origin = `http://127.0.0.1:${port}`;
    const page = await openPage(`ws://127.0.0.1:${port}/__runner/stream`, origin, token);
    const headers = { origin, 'content-type': 'application/json', 'x-runner-token': token };
    const call = (action: string, body: object) =>
      post(port, `/__runner/${action}`, headers, JSON.stringify({ page: page.id, ...body }));
    expect((await call('mount', { files: { 'parent.js': PARENT_WITH_CHILD } })).status).toBe(200);
    const spawned = JSON.parse(
      (await call('spawn', { command: 'node', args: ['parent.js'], expectsServer: false })).text,
    ) as { process: string };
    await page.next(
      'output',
      (event) => event.process === spawned.process && event.data.includes('leader'),
    );
    const leader = Number(/leader (\d+)/.exec(page.output(spawned.process))![1]);
    expect(await liveProcessesInGroup(leader)).toHaveLength(2);
    expect(runnerFolders(child.pid!)).toHaveLength(1);

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await liveProcessesInGroup(leader)).toEqual([]);
    expect(runnerFolders(child.pid!)).toEqual([]);
  });

  it('sweeps folders left behind by a runner that died, but not those of a live runner', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const leftover = join(tmpdir(), `svs-runner-${deadPid}-left`);
    const alive = join(tmpdir(), `svs-runner-${process.pid}-alive`);
    mkdirSync(join(leftover, 'page-x'), { recursive: true });
    mkdirSync(alive, { recursive: true });
    const runner = await createRunner({ coursePort: 1, handleSignals: false });
    try {
      expect(runnerFolders(deadPid)).toEqual([]);
      expect(runnerFolders(process.pid)).toContain(`svs-runner-${process.pid}-alive`);
    } finally {
      await runner.close();
      spawnSync('rm', ['-rf', alive]);
    }
  });
});
