/**
 * Call a function the learner's module exports, from a check, without letting the learner's code
 * into the check process. Node built-ins only.
 *
 *   import { callLearner } from '../_kit/learner-module.mjs';
 *   const outcome = await callLearner('jwt.js', 'verify', token, secret, { now: 1900 });
 *   // { ok: true, value } when it returned (or resolved), { ok: false, error: { name, message } }
 *   // when it threw (or rejected). Buffers and Uint8Arrays go both ways; other values as JSON.
 *
 * Why a child process: a check process holds the run's nonce (env NONCE_ENV). A learner module
 * imported there could read it and print a result line the page would trust. Here the module runs
 * in `node _kit/learner-module.mjs` with the nonce removed from its environment; whatever it prints
 * is captured (and returned as `output`), never passed through. The returned value is only data
 * the check then judges, so nothing the learner prints can count as a result.
 *
 * A module that fails to load, a missing export, or no answer within `timeoutMs` fails the check
 * with a readable message. This file is both the helper and the child it starts, so mounting it
 * is all a lab needs.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NONCE_ENV } from './protocol.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
const SANDBOX_ROOT = path.dirname(path.dirname(THIS_FILE));
const OUTPUT_LIMIT = 20000;

// The reporter reads these codes (as check-helpers' CheckError and CheckTimeoutError set them);
// they are set here rather than imported so the child never loads the test-runner helpers.
function checkFailure(message, code = 'SVS_FAIL') {
  return Object.assign(new Error(message), { name: 'CheckError', code });
}

// Bytes survive the trip as tagged base64; everything else as plain JSON.
const BYTES_TAG = '$svsBytes';
function encode(value) {
  return JSON.stringify(value, function replacer(key, item) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(raw).toString('base64') };
    return item;
  });
}
function decode(text) {
  return JSON.parse(text, (_key, item) =>
    item && typeof item === 'object' && typeof item[BYTES_TAG] === 'string'
      ? Buffer.from(item[BYTES_TAG], 'base64')
      : item,
  );
}

/** The environment of the child: the check's, minus the nonce and the test runner's internals. */
function childEnv() {
  const env = { ...process.env };
  delete env[NONCE_ENV];
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

export function callLearner(file, exportName, ...args) {
  return callLearnerWith({}, file, exportName, ...args);
}

/** `callLearner` with options: `{ timeoutMs = 5000 }`. */
export function callLearnerWith({ timeoutMs = 5000 }, file, exportName, ...args) {
  const marker = `@@svs-learner-result-${randomBytes(8).toString('hex')}`;
  const child = spawn(process.execPath, [THIS_FILE, marker], {
    cwd: SANDBOX_ROOT,
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output = (output + chunk).slice(-OUTPUT_LIMIT);
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  child.stdin.on('error', () => {}); // a child that exits at once closes its stdin early
  child.stdin.end(encode({ file, exportName, args }));

  const call = `${exportName}() from ${file}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        checkFailure(
          `Timed out after ${timeoutMs / 1000} s waiting for ${call} to return.`,
          'SVS_TIMEOUT',
        ),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(checkFailure(`Could not start a process to call ${call}: ${error.message}`));
    });
    child.once('close', () => {
      clearTimeout(timer);
      // The child starts its answer on a fresh line, so learner output without a final newline
      // cannot hide it; that newline is the child's, not the learner's.
      const at = output.indexOf(`\n${marker} `);
      const end = at === -1 ? -1 : output.indexOf('\n', at + 1);
      const line = at === -1 || end === -1 ? undefined : output.slice(at + 1, end);
      const learnerOutput = at === -1 ? output : output.slice(0, at) + output.slice(end + 1);
      if (line === undefined) {
        const tail = learnerOutput.trim().split('\n').slice(-6).join('\n');
        reject(
          checkFailure(`${call} ended without an answer.${tail ? `\nLast output:\n${tail}` : ''}`),
        );
        return;
      }
      const reply = decode(line.slice(marker.length + 1));
      if (reply.failure) reject(checkFailure(reply.failure));
      else resolve({ ...reply.outcome, output: learnerOutput });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The child: load the module, call the export, print one marked line, exit.

async function readStdin() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

async function runChild(marker) {
  const reply = (value) =>
    new Promise((resolve) => process.stdout.write(`\n${marker} ${encode(value)}\n`, resolve));
  const { file, exportName, args } = decode(await readStdin());
  let mod;
  try {
    mod = await import(pathToFileURL(path.join(SANDBOX_ROOT, file)).href);
  } catch (error) {
    await reply({ failure: `Could not load ${file}: ${error && error.message}` });
    return;
  }
  const fn = mod[exportName] ?? (mod.default && mod.default[exportName]);
  if (typeof fn !== 'function') {
    await reply({ failure: `${file} does not export a function named ${exportName}.` });
    return;
  }
  let outcome;
  try {
    outcome = { ok: true, value: await fn(...args) };
  } catch (error) {
    const name = error && typeof error.name === 'string' ? error.name : 'Error';
    outcome = {
      ok: false,
      error: { name, message: String(error && error.message ? error.message : error) },
    };
  }
  await reply({ outcome });
}

const startedAsChild = () => {
  try {
    return realpathSync(process.argv[1] ?? '') === THIS_FILE;
  } catch {
    return false;
  }
};

if (process.argv[2] && startedAsChild()) {
  // Whatever the learner's module left running (a timer, a server) must not keep this alive.
  runChild(process.argv[2]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
