// @ts-check
/**
 * The runner's guardian: `node guardian.mjs <runner root>`, started detached by the runner (its
 * own process group and session, so neither Ctrl-C, a closed terminal nor a kill of the runner's
 * group reaches it). It reads `group <pgid> <startTime>` lines from the runner on stdin. When its
 * stdin closes, the runner has stopped, however it stopped (SIGKILL included): the guardian then
 * ends every sandbox process of that runner, deletes its folder, and exits. After a clean stop
 * there is nothing left to find, so this costs one scan of the process table.
 */
import { removeTreeSync, signalSandboxProcesses } from './cleanup.mjs';

const root = process.argv[2] ?? '';
if (!root || !root.startsWith('/')) {
  console.error('usage: node guardian.mjs <absolute runner folder>');
  process.exit(2);
}

/** @type {import('./cleanup.mjs').GroupRecord[]} */
const groups = [];
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (/** @type {string} */ chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const [word, pgid, startTime] = line.split(' ');
    if (word === 'group' && Number(pgid) > 1)
      groups.push({ pgid: Number(pgid), startTime: startTime ?? '' });
  }
});
process.stdin.on('end', cleanUp);
process.stdin.on('error', cleanUp);
// The runner may be killed together with everything in its terminal; the guardian must outlive it.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGHUP', 'SIGTERM']))
  process.on(signal, () => {});

let cleaning = false;
function cleanUp() {
  if (cleaning) return;
  cleaning = true;
  const match = { groups, markerPrefix: `${root}/`, folder: root };
  const deadline = Date.now() + 5_000;
  // Dying processes may start others on their way out, so look again until nothing is found.
  const sweep = () => {
    const found = signalSandboxProcesses(match, 'SIGKILL');
    if (found > 0 && Date.now() < deadline) return void setTimeout(sweep, 50);
    removeTreeSync(root);
    process.exit(0);
  };
  sweep();
}
