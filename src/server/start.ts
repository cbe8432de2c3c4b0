/**
 * `npm start`: build the course if the built site is missing or stale, then serve it on loopback
 * with the local sandbox runner attached. PORT and HOST override 4321 and 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStatus } from './build-freshness.ts';
import { startCourseServer } from './course-server.ts';
import { createRunner } from '../runner/index.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const distDir = join(root, 'dist');
const host = process.env['HOST'] ?? '127.0.0.1';
const port = Number(process.env['PORT'] ?? 4321);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, got "${process.env['PORT']}"`);
  process.exit(1);
}

const status = buildStatus(root, distDir);
if (!status.fresh) {
  console.log(`Building the course (${status.reason})…`);
  const astro = join(root, 'node_modules', 'astro', 'astro.js');
  const build = spawnSync(process.execPath, [astro, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The build failed; see the messages above.');
    process.exit(build.status ?? 1);
  }
}

// The runner checks Host and Origin against the port actually bound (PORT=0 picks a free one).
let boundPort = port;
const runner = await createRunner({
  coursePort: () => boundPort,
  log: (message) => console.log(`[runner] ${message}`),
});
const course = await startCourseServer({ distDir, host, port, attachment: runner });
boundPort = Number(new URL(course.url).port);
console.log(`Course ready at ${course.url} (press Ctrl-C to stop)`);
if (host !== '127.0.0.1' && host !== 'localhost') {
  console.log(
    `Note: the local sandbox runner only accepts pages opened at http://127.0.0.1:${boundPort} or http://localhost:${boundPort}.`,
  );
}

let stopping = false;
// SIGHUP: the terminal was closed. Everything must stop as on Ctrl-C, not keep running unseen.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    course.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
