/**
 * Prints how many requests per second the kit's load generator (sandboxes/_kit/load.mjs) drives
 * against a minimal hello server, with fixed concurrency, and the latency it saw:
 *
 *   npm run bench:load                   # 5 s at concurrency 64
 *   npm run bench:load -- 10s 128        # duration and concurrency
 *
 * The server runs in its own Node process; the generator runs in this one. On an idle machine
 * with a core each, the generator should reach 5,000 requests/s or more.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
// The kit is plain JavaScript for the sandboxes (types inferred via allowJs).
import { formatSummary, load } from '../sandboxes/_kit/load.mjs';

const [duration = '5s', concurrency = '64'] = process.argv.slice(2);
const hello = `require('node:http').createServer((req, res) => res.end('Hello, learner!'))
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

const server = spawn(process.execPath, ['-e', hello], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
  await load(url, { concurrency: 8, duration: '1s' }); // warm both processes up
  const summary = await load(url, { concurrency: Number(concurrency), duration });
  console.log(`load generator, concurrency ${concurrency}, ${duration}, against a hello server:`);
  console.log(formatSummary(summary));
  console.log(`RESULT requests/s: ${summary.rps}`);
} finally {
  server.kill();
}
