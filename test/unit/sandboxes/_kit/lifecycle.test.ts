import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  allClosed,
  makeSandbox,
  randomFreePort,
  startNode,
  waitUntil,
  type Watched,
} from './kit-process.ts';

/**
 * Every kit process that starts children takes them down with it, whichever way it is told to go:
 * a `shutdown` line, its stdin closing, its parent disappearing, or being killed outright.
 */

const server = `
require('node:http')
  .createServer((req, res) => res.end('instance ' + process.env.INSTANCE))
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));`;

/** A parent that starts the balancer with its own stdin passed through, then waits to be killed. */
const parent = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, process.argv.slice(2), { stdio: ['inherit', 'inherit', 'inherit'] });
setInterval(() => {}, 1000);`;

/** A check that starts the learner's server, says where, and never finishes. */
const hangingCheck = `
import { test } from 'node:test';
import { startServer } from '../_kit/check-helpers.mjs';
test('hangs', async () => {
  const server = await startServer();
  console.log('server port ' + server.port);
  await new Promise(() => {});
});`;

// Each case boots several Node processes; on a loaded two-core machine that takes a while.
vi.setConfig({ testTimeout: 90_000 });

let sandbox: ReturnType<typeof makeSandbox>;
const started: Watched[] = [];

beforeAll(() => {
  sandbox = makeSandbox({
    'server.js': server,
    'parent.js': parent,
    'checks/hang.test.mjs': hangingCheck,
  });
});
afterAll(() => {
  for (const w of started) w.child.kill('SIGKILL');
  sandbox.remove();
});

async function startBalancer(args: string[] = []): Promise<{ w: Watched; ports: number[] }> {
  const port = await randomFreePort();
  const w = startNode([...args, '_kit/balancer.mjs', '--instances', '2', 'server.js'], {
    cwd: sandbox.dir,
    env: { PORT: String(port) },
  });
  started.push(w);
  const up = () => w.lines.filter((l) => l.includes('"state":"up"'));
  await waitUntil(() => up().length === 2, `two instances up:\n${w.lines.join('\n')}`);
  const ports = up().map((l) => Number(/"port":(\d+)/.exec(l)?.[1]));
  expect(await allClosed(ports)).toBe(false);
  // Events are written to stdout the moment each instance answers; ports include the balancer's.
  return { w, ports: [...ports, port] };
}

const gone = (ports: number[], what: string) =>
  waitUntil(() => allClosed(ports), `${what}: ports ${ports.join(', ')} to close`);

describe('kit balancer lifecycle', () => {
  it('stops its instances and exits on a shutdown line', async () => {
    const { w, ports } = await startBalancer();
    w.child.stdin.write('shutdown\n');
    expect(await w.exited).toBe(0);
    await gone(ports, 'after shutdown');
  });

  it('stops its instances when its stdin closes', async () => {
    const { w, ports } = await startBalancer();
    w.child.stdin.end();
    expect(await w.exited).toBe(0);
    await gone(ports, 'after stdin closed');
  });

  it('stops its instances when its parent is killed, though its stdin stays open', async () => {
    const port = await randomFreePort();
    const w = startNode(['parent.js', '_kit/balancer.mjs', '--instances', '2', 'server.js'], {
      cwd: sandbox.dir,
      env: { PORT: String(port) },
    });
    started.push(w);
    const up = () => w.lines.filter((l) => l.includes('"state":"up"'));
    await waitUntil(() => up().length === 2, 'two instances up');
    const ports = [...up().map((l) => Number(/"port":(\d+)/.exec(l)?.[1])), port];
    w.child.kill('SIGKILL'); // only the parent: the balancer is orphaned, its stdin still open
    await gone(ports, 'after the parent was killed');
  });

  it('leaves no instance behind when it is killed outright', async () => {
    const { w, ports } = await startBalancer();
    w.child.kill('SIGKILL');
    await gone(ports, 'after the balancer was killed');
  });
});

describe('kit store lifecycle', () => {
  it("stops the learner's server on a shutdown line, and when killed outright", async () => {
    for (const end of ['shutdown', 'kill'] as const) {
      const port = await randomFreePort();
      const w = startNode(['_kit/store.mjs', 'server.js'], {
        cwd: sandbox.dir,
        env: { PORT: String(port) },
      });
      started.push(w);
      const storePort = Number((await w.line(/listening on http:\/\/127\.0\.0\.1:(\d+)/))[1]);
      await w.line(new RegExp(`listening on ${port}`));
      if (end === 'shutdown') {
        w.child.stdin.write('shutdown\n');
        expect(await w.exited).toBe(0);
      } else {
        w.child.kill('SIGKILL');
      }
      await gone([port, storePort], `store after ${end}`);
    }
  });
});

describe('check helpers lifecycle', () => {
  it("stop the learner's server when the check run is killed", async () => {
    const w = startNode(['--test', 'checks/hang.test.mjs'], { cwd: sandbox.dir });
    started.push(w);
    const port = Number((await w.line(/server port (\d+)/))[1]);
    expect(await allClosed([port])).toBe(false);
    w.child.kill('SIGKILL'); // the test runner only: its test-file process and server are orphaned
    await gone([port], 'after the check run was killed');
  });
});
