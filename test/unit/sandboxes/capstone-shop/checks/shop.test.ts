/**
 * The capstone's checks against a learner server that crashes in a loop: it starts, dies on the
 * first request it is sent, is started again by the next step and dies again. The run must end on
 * its own with one result per step, each naming the request that found the crash, rather than
 * running into the deadline of the whole run.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../../../src/grading/run-checks.ts';
import { mountTree, supportFiles } from '../../../../../src/sandbox/assemble.ts';
import { readLab } from '../../../../../src/sandbox/load.ts';

const sandboxesDir = path.resolve(import.meta.dirname, '../../../../../sandboxes');

const crashingServer = `import http from 'node:http';
// Listens, so it counts as up, then throws on every request: each instance dies at once.
http
  .createServer((req) => {
    throw new Error('crash while handling ' + req.method + ' ' + req.url);
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('capstone-shop checks', () => {
  it('report which step met a crashing server, and finish well before the deadline', async () => {
    const lab = readLab('capstone-shop', sandboxesDir);
    const deadlineMs = 150_000;
    const tree = mountTree({ ...lab.solution, 'server.js': crashingServer }, supportFiles(lab));
    const run = await runChecks(tree, { deadlineMs });

    expect(run.timedOut).toBe(false);
    const titles = lab.manifest.steps?.flatMap((s) => s.checks) ?? [];
    expect(run.results.map((r) => r.title).sort()).toEqual([...titles].sort());
    // The design note is the solution's, so that step passes; every step that sends a request fails.
    for (const result of run.results.filter((r) => !r.title.startsWith('DESIGN.md'))) {
      expect(result.status, result.title).toBe('fail');
      expect(result.message, result.title).toMatch(/crashed/);
      expect(result.message, result.title).toMatch(/(GET|POST) \//);
    }
  }, 180_000);
});
