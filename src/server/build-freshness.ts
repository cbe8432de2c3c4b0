/**
 * Decides whether `npm start` must build first: the built site is stale when any source it is made
 * from changed after the last successful build (recorded by the build stamp).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_STAMP } from '../utils/build-stamp.ts';

export { BUILD_STAMP } from '../utils/build-stamp.ts';

/** What the built site is made from, relative to the project root. */
export const BUILD_INPUTS = [
  'src',
  'content',
  'sandboxes',
  'public',
  'astro.config.mjs',
  'package-lock.json',
  'tsconfig.json',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function buildStatus(root: string, distDir: string): { fresh: boolean; reason: string } {
  const stampPath = join(distDir, BUILD_STAMP);
  if (!existsSync(join(distDir, 'index.html')) || !existsSync(stampPath)) {
    return { fresh: false, reason: 'no built site yet' };
  }
  const built = statSync(stampPath).mtimeMs;
  for (const input of BUILD_INPUTS) {
    if (newestMtime(join(root, input)) > built) {
      return { fresh: false, reason: `${input} changed since the last build` };
    }
  }
  return { fresh: true, reason: 'built site is up to date' };
}
