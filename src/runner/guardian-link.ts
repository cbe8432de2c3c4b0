import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The runner's side of the guardian (guardian.mjs): starts it detached, tells it each process
 * group as it starts, and lets it go on a clean stop. The guardian notices the runner's death by
 * its stdin closing, which the kernel does for any death, SIGKILL included.
 */

const GUARDIAN = fileURLToPath(new URL('./guardian.mjs', import.meta.url));

export interface GuardianLink {
  track(pgid: number, startTime: string): void;
  /** After a clean stop: the guardian finds nothing left to do and exits. */
  release(): void;
}

export function startGuardian(root: string, log: (message: string) => void): GuardianLink {
  if (!existsSync(GUARDIAN))
    log(`${GUARDIAN} is missing: sandbox processes would outlive a crash of this server`);
  const child = spawn(process.execPath, [GUARDIAN, root], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    // Nothing of the runner's environment: it needs none, and tests recognise servers by theirs.
    env: { PATH: process.env['PATH'] ?? '' },
  });
  child.on('error', (error) => log(`the guardian did not start: ${error.message}`));
  child.stdin.on('error', () => {}); // a guardian that died is reported by 'error' above
  // Neither the guardian nor its pipe may keep the runner's process alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    track(pgid, startTime) {
      if (child.stdin.writable) child.stdin.write(`group ${pgid} ${startTime}\n`);
    },
    release() {
      child.stdin.end();
    },
  };
}
