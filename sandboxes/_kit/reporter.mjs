/**
 * node:test reporter that turns check results into marked lines the course page can trust.
 *
 * Usage (from the sandbox root, with SVS_CHECK_NONCE set to a fresh random value per run):
 *   node --test --test-reporter=./_kit/reporter.mjs checks/hello.test.mjs …
 *
 * Output, one line each:
 *   @@svs-check <nonce> {"id":"hello.test.mjs/<name>","title":"<name>","status":"pass"|"fail"|"error"|"timeout","message":"…","durationMs":12}
 *   @@svs-check <nonce> {"type":"summary","passed":2,"failed":1,"total":3}   (always last)
 *
 * Status: `fail` = an assertion failed or a kit helper reported the learner's server misbehaving;
 * `timeout` = the test or a kit request/startup ran out of time; `error` = anything else thrown.
 * Anything a check file prints is passed through unmarked, so it can never count as a result.
 */

import { CHECK_MARKER, NONCE_ENV } from './protocol.mjs';

const MAX_MESSAGE = 600;

const nonce = process.env[NONCE_ENV] || '';

function short(value) {
  let text;
  try {
    // JSON shows strings with quotes and objects in full; undefined and functions fall back.
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // circular values, BigInt
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function clip(text) {
  const clean = String(text).trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

/** The learner-facing sentence for an assertion: the check author's own, else expected vs got. */
function assertionMessage(error) {
  if (!error.generatedMessage) {
    // node:assert appends its own diff ("+ actual - expected" or after a blank line); the
    // author's sentence comes first and is what the learner should read.
    return error.message.split(/\n\n|\n\+ actual - expected/)[0];
  }
  if (
    error.operator === 'strictEqual' ||
    error.operator === 'deepStrictEqual' ||
    error.operator === 'equal' ||
    error.operator === 'deepEqual'
  ) {
    return `Expected ${short(error.expected)}, got ${short(error.actual)}`;
  }
  return error.message.split('\n')[0];
}

function classify(details) {
  const failure = details.error;
  if (!failure) return { status: 'error', message: 'The check failed without saying why.' };
  // Errors cross a process boundary on the way here, so duck-type instead of instanceof.
  const cause =
    failure.cause && typeof failure.cause === 'object' && typeof failure.cause.message === 'string'
      ? failure.cause
      : null;

  if (failure.failureType === 'testTimeoutFailure') {
    return { status: 'timeout', message: `The check ran out of time (${failure.message}).` };
  }
  if (cause && cause.code === 'SVS_TIMEOUT') return { status: 'timeout', message: cause.message };
  if (cause && cause.code === 'SVS_FAIL') return { status: 'fail', message: cause.message };
  if (cause && cause.code === 'ERR_ASSERTION')
    return { status: 'fail', message: assertionMessage(cause) };
  if (failure.failureType === 'hookFailed' && cause) {
    const status =
      cause.code === 'SVS_TIMEOUT' ? 'timeout' : cause.code === 'SVS_FAIL' ? 'fail' : 'error';
    return { status, message: cause.message };
  }
  if (cause)
    return { status: 'error', message: `The check stopped with an error: ${cause.message}` };
  return { status: 'error', message: failure.message };
}

function fileName(file) {
  if (!file) return 'checks';
  const parts = String(file).split(/[\\/]/);
  return parts[parts.length - 1];
}

function line(payload) {
  return `${CHECK_MARKER} ${nonce} ${JSON.stringify(payload)}\n`;
}

export default async function* svsReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:stdout' || type === 'test:stderr') {
      // Unmarked pass-through: visible in the terminal, never a result.
      yield data.message;
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const details = data.details || {};
    // Suites and parents of failing subtests are containers, not checks.
    if (details.type === 'suite') continue;
    if (type === 'test:fail' && details.error && details.error.failureType === 'subtestsFailed')
      continue;
    if (data.skip || data.todo) continue;
    // Node wraps each check file in a test named after its path: a pass there is no check, but a
    // failure means the file itself could not run (a syntax error, a bad import).
    const wholeFile = data.file !== undefined && data.name === data.file;
    if (wholeFile && type === 'test:pass') continue;

    const title = wholeFile ? `The checks in ${fileName(data.file)} can run` : data.name;
    const base = {
      id: `${fileName(data.file)}/${title}`,
      title,
      durationMs: Math.round(details.duration_ms || 0),
    };
    if (type === 'test:pass') {
      passed += 1;
      yield line({ ...base, status: 'pass', message: '' });
    } else {
      failed += 1;
      const { status, message } = classify(details);
      yield line({ ...base, status, message: clip(message) });
    }
  }
  yield line({ type: 'summary', passed, failed, total: passed + failed });
}
