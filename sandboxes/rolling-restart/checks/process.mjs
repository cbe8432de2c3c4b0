// The learner's server as a process the check can signal directly (SIGTERM without waiting), and
// restart on the same port with a different environment. (Not a test file.)
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

export async function launchServer(env = {}) {
  const port = await freePort();
  const handle = { url: `http://127.0.0.1:${port}`, output: '' };
  const start = async (extra) => {
    const full = { ...process.env, ...extra, PORT: String(port), HOST: '127.0.0.1' };
    delete full.SVS_CHECK_NONCE;
    delete full.NODE_TEST_CONTEXT;
    delete full.NODE_OPTIONS;
    const child = spawn(process.execPath, ['server.js'], {
      cwd: ROOT,
      env: full,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.stdout
      .setEncoding('utf8')
      .on('data', (d) => (handle.output = (handle.output + d).slice(-4000)));
    child.stderr
      .setEncoding('utf8')
      .on('data', (d) => (handle.output = (handle.output + d).slice(-4000)));
    handle.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      }),
    );
    handle.child = child;
    const deadline = Date.now() + 5000;
    while (!(await canConnect(port))) {
      if (child.exitCode !== null)
        fail(`Your server exited before it listened on PORT.\n${handle.output.slice(-600)}`);
      if (Date.now() > deadline)
        fail(`Your server did not listen on PORT within 5 s.\n${handle.output.slice(-600)}`);
      await sleep(50);
    }
  };
  handle.signal = (name) => handle.child.kill(name);
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves when it is gone. */
  handle.stop = async (graceMs = 5000) => {
    if (handle.child.exitCode !== null || handle.child.signalCode !== null) return;
    handle.child.kill('SIGTERM');
    const timer = setTimeout(() => handle.child.kill('SIGKILL'), graceMs);
    await handle.exited;
    clearTimeout(timer);
  };
  handle.restart = async (extra) => {
    await handle.stop();
    await start({ ...env, ...extra });
  };
  await start(env);
  return handle;
}
