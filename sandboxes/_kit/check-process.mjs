/**
 * Check helpers, part 1: the learner's processes. Starting a server on a fresh port, collecting its
 * output, stopping it, and the errors a check fails with. Node built-ins only; Node 20 and 22.
 * Checks import everything from check-helpers.mjs; see README.md there for the API.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode, watchLifecycle } from './lifecycle.mjs';
import { canConnect, freePort, LOOPBACK as HOST, sleep } from './net.mjs';
import { NONCE_ENV } from './protocol.mjs';

export const KIT_DIR = path.dirname(fileURLToPath(import.meta.url));
const SANDBOX_ROOT = path.dirname(KIT_DIR);
export { HOST };
export const OUTPUT_LIMIT = 20000;
const OUTPUT_SETTLE_MS = 250;

export class CheckError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckError';
    this.code = 'SVS_FAIL';
  }
}

export class CheckTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckTimeoutError';
    this.code = 'SVS_TIMEOUT';
  }
}

export function fail(message) {
  throw new CheckError(message);
}

export const seconds = (ms) => `${Math.round(ms / 100) / 10} s`;

export function quote(text, max = 120) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/** The last few lines a process printed, ready to append to a message. */
export function lastOutput(output) {
  // Stack frames push the error sentence out of view; the learner needs the sentence.
  const lines = output
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s+at /.test(line) && !/^Node\.js v\d/.test(line))
    .slice(-8)
    .join('\n');
  if (lines === '') return ' It printed nothing.';
  const clipped = lines.length > 800 ? `…${lines.slice(-800)}` : lines;
  return `\nLast output:\n${clipped}`;
}

const running = new Set();

/** The learner's processes get a clean environment: no result nonce, no test-runner internals. */
export function learnerEnv(extra) {
  const env = { ...process.env, ...extra };
  delete env[NONCE_ENV];
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

export function launch(args, env, { stdin = 'ignore', onLine } = {}) {
  const child = spawnNode(args, {
    cwd: SANDBOX_ROOT,
    env,
    stdio: [stdin, 'pipe', 'pipe'],
  });
  const proc = { child, output: '', exitInfo: null };
  let partial = '';
  const collect = (chunk) => {
    proc.output = (proc.output + chunk).slice(-OUTPUT_LIMIT);
    if (!onLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) onLine(line);
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  proc.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      // 'exit' can come before the last output chunk (often the crash's own error line). Wait for
      // the pipes to close, but not forever: a grandchild may hold them open.
      const settle = () => {
        if (proc.exitInfo) return;
        proc.exitInfo = { code, signal };
        running.delete(proc);
        resolve(proc.exitInfo);
      };
      child.once('close', settle);
      setTimeout(settle, OUTPUT_SETTLE_MS);
    });
    child.once('error', (error) => {
      proc.output += `\n${error.message}`;
      proc.exitInfo = { code: null, signal: null };
      running.delete(proc);
      resolve(proc.exitInfo);
    });
  });
  proc.stop = () => stopProcess(proc);
  running.add(proc);
  return proc;
}

function sendSignal(proc, signal) {
  try {
    proc.child.kill(signal);
  } catch {
    /* already gone */
  }
}

async function stopProcess(proc) {
  if (proc.exitInfo) return;
  // SIGTERM first so a balancer can take its instances down with it; SIGKILL if ignored.
  sendSignal(proc, 'SIGTERM');
  const timer = setTimeout(() => sendSignal(proc, 'SIGKILL'), 1000);
  await proc.exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...running].map((proc) => proc.stop()));
}

/** Kills everything at once: for exits that leave no time to be polite. */
export function killAll() {
  for (const proc of running) sendSignal(proc, 'SIGKILL');
}
process.once('exit', killAll);
// The check run was stopped (or its runner died): take every server down with us.
watchLifecycle({
  onShutdown: () => {
    killAll();
    process.exit(1);
  },
});

export function exitDescription({ code, signal }) {
  return signal ? `was stopped by ${signal}` : `exited with code ${code}`;
}

export async function waitUntilListening(proc, port, timeoutMs, who) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitInfo) {
      throw new CheckError(
        `${who} ${exitDescription(proc.exitInfo)} before it started listening on PORT.${lastOutput(proc.output)}`,
      );
    }
    if (await canConnect(port)) return;
    if (Date.now() > deadline) {
      throw new CheckTimeoutError(
        `${who} did not start listening on PORT within ${seconds(timeoutMs)}. Did it call server.listen(process.env.PORT)?${lastOutput(proc.output)}`,
      );
    }
    await sleep(50);
  }
}

export async function startServer({ entry = 'server.js', env = {}, readyTimeoutMs = 5000 } = {}) {
  const port = await freePort();
  const fullEnv = learnerEnv({ ...env, PORT: String(port), HOST });
  let history = '';
  let proc;
  const boot = async () => {
    proc = launch([entry], fullEnv);
    await waitUntilListening(proc, port, readyTimeoutMs, 'Your server');
  };
  await boot();
  return {
    url: `http://${HOST}:${port}`,
    port,
    output: () => history + proc.output,
    /** False once the process has exited (crashed, or stopped). */
    get running() {
      return proc.exitInfo === null;
    },
    stop: () => proc.stop(),
    async restart() {
      await proc.stop();
      history += proc.output;
      await boot();
    },
  };
}
