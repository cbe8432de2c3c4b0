/**
 * Helpers for writing checks (sandboxes/<id>/checks/*.test.mjs). Node built-ins only; Node 20+.
 * The one import a check needs; the pieces live in check-process, check-wait, check-http,
 * check-store, check-cluster and load. README.md in this folder documents every call.
 *
 *   import { test } from 'node:test';
 *   import assert from 'node:assert/strict';
 *   import { startServer, createClient, summarize } from '../_kit/check-helpers.mjs';
 *
 *   test('Your server answers GET / with status 200', async () => {
 *     const server = await startServer();            // node server.js on a fresh PORT
 *     const res = await createClient(server).get('/');
 *     assert.equal(res.status, 200, `Expected status 200, got ${summarize(res)}`);
 *   });
 *
 * Failures the learner caused (no answer in time, a crash, a refused connection, a reply that is
 * not JSON) are thrown as CheckError / CheckTimeoutError with a sentence written for them; the
 * reporter shows it as the check's message. The learner's processes never see SVS_CHECK_NONCE,
 * so they cannot forge a result line. Everything started here is stopped after the checks, and
 * when the check run is stopped or killed.
 */
import { after } from 'node:test';
import { stopAll } from './check-process.mjs';

export { CheckError, CheckTimeoutError, fail, startServer, stopAll } from './check-process.mjs';
export { waitFor } from './check-wait.mjs';
export { createClient, summarize } from './check-http.mjs';
export { startStore } from './check-store.mjs';
export { startCluster } from './check-cluster.mjs';
export { freePort, sleep } from './net.mjs';
export { load } from './load.mjs';

after(stopAll);
