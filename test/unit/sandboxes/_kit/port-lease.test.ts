import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KIT_DIR } from './kit-process.ts';

/**
 * Kit processes running side by side (`npm run grade` runs several labs at once) must never be
 * handed the same port: the loser's server fails to bind and its check talks to a stranger.
 */

const leaseDir = mkdtempSync(path.join(tmpdir(), 'svs-lease-test-'));
afterAll(() => rmSync(leaseDir, { recursive: true, force: true }));
const leaseFile = (port: number) => path.join(leaseDir, 'svs-port-leases', String(port));

const netUrl = pathToFileURL(path.join(KIT_DIR, 'net.mjs')).href;
const leaseUrl = pathToFileURL(path.join(KIT_DIR, 'port-lease.mjs')).href;

/** A process that takes `count` ports, prints them as JSON, and holds them until its stdin ends. */
const allocator = (count: number) => `
import { freePort } from ${JSON.stringify(netUrl)};
const ports = [];
for (let i = 0; i < ${count}; i++) ports.push(await freePort());
console.log(JSON.stringify(ports));
process.stdin.resume();`;

interface Holder {
  ports: number[];
  release(): Promise<void>;
}

async function holdPorts(count: number): Promise<Holder> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', allocator(count)], {
    env: { ...process.env, TMPDIR: leaseDir },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return {
    ports: JSON.parse(line) as number[],
    release: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

describe('freePort across processes', () => {
  it('never hands two live processes the same port, and frees them on exit', async () => {
    // 4 × 300 random picks from 12,000 ports collide dozens of times unless leases prevent it.
    const holders = await Promise.all([1, 2, 3, 4].map(() => holdPorts(300)));
    const ports = holders.flatMap((holder) => holder.ports);
    expect(ports).toHaveLength(1200);
    expect(new Set(ports).size).toBe(1200);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20000);
      expect(port).toBeLessThan(32000);
      expect(existsSync(leaseFile(port))).toBe(true);
    }
    await Promise.all(holders.map((holder) => holder.release()));
    expect(ports.filter((port) => existsSync(leaseFile(port)))).toEqual([]);
  });
});

describe('a lease left by a process that was killed outright', () => {
  it('is cleared, so the port can be leased again', async () => {
    const dir = path.join(leaseDir, 'stale');
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = dead.pid;
    await new Promise((resolve) => dead.once('exit', resolve));
    const { takeLease } = (await import(leaseUrl)) as {
      takeLease(port: number, dir?: string): boolean;
    };
    expect(takeLease(25000, dir)).toBe(true);
    writeFileSync(path.join(dir, '25001'), String(deadPid));
    writeFileSync(path.join(dir, '25002'), String(process.pid));
    // Held by a live process (this one): refused, and the lease stays.
    expect(takeLease(25002, dir)).toBe(false);
    expect(existsSync(path.join(dir, '25002'))).toBe(true);
    // Held by a dead one: refused this once, cleared, then free for the next taker.
    expect(takeLease(25001, dir)).toBe(false);
    expect(takeLease(25001, dir)).toBe(true);
  });
});
