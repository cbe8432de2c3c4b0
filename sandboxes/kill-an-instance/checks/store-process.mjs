// The kit's store as its own process on a fixed port, so a check can stop it and start it again
// where the learner's server expects it. (Not a test file: node --test runs only *.test.mjs.)
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fail, freePort, sleep } from '../_kit/check-helpers.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const running = new Set();
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

const canConnect = (port) =>
  new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => resolve(socket.destroy() || true));
    socket.once('error', () => resolve(false));
  });

export async function startStoreProcess() {
  const port = await freePort();
  let child = null;
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  delete env.SVS_CHECK_NONCE;
  delete env.NODE_TEST_CONTEXT;
  const handle = {
    url: `http://127.0.0.1:${port}`,
    async start() {
      child = spawn(process.execPath, [path.join(ROOT, '_kit', 'store.mjs')], {
        env,
        stdio: 'ignore',
      });
      running.add(child);
      const deadline = Date.now() + 5000;
      while (!(await canConnect(port))) {
        if (Date.now() > deadline)
          fail(`The kit's store did not start on port ${port} within 5 s.`);
        await sleep(50);
      }
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      running.delete(child);
      child = null;
    },
  };
  await handle.start();
  return handle;
}
