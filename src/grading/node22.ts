/**
 * A real Node 22 binary for grading and e2e, from the npm registry only (Node only).
 *
 *   tsx src/grading/node22.ts     prints the binary's path, fetching it on first use
 *
 * The registry's `node-<platform>-<arch>` packages hold the plain binary in bin/node. It is
 * unpacked under node_modules/.cache/node22/<version>/ rather than installed as a `node`
 * devDependency, because such a dependency would put `node` in node_modules/.bin and silently run
 * every npm script on 22 instead of the Node the learner (and `npm test`) chose.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one place the second Node line's exact version is written down. */
export const NODE22_VERSION = '22.23.5';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const cacheRoot = path.join(projectRoot, 'node_modules', '.cache', 'node22');

function packageName(): string {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${platform}-${process.arch}`;
}

function binaryIn(dir: string): string {
  return path.join(dir, process.platform === 'win32' ? 'node.exe' : path.join('bin', 'node'));
}

function versionOf(binary: string): string | null {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** The path of the Node 22 binary, fetched with `npm pack` and unpacked on first use. */
export function node22Binary(): string {
  const dir = path.join(cacheRoot, NODE22_VERSION);
  const binary = binaryIn(dir);
  if (existsSync(binary) && versionOf(binary) === `v${NODE22_VERSION}`) return binary;

  mkdirSync(cacheRoot, { recursive: true });
  // Unpack beside the final folder and rename, so two processes fetching at once never see half
  // a binary.
  const work = mkdtempSync(path.join(cacheRoot, 'fetch-'));
  try {
    const spec = `${packageName()}@${NODE22_VERSION}`;
    try {
      execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', work], {
        cwd: work,
        stdio: ['ignore', 'ignore', 'pipe'],
        shell: process.platform === 'win32',
      });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(`Could not fetch Node ${NODE22_VERSION} (npm pack ${spec}): ${stderr}`);
    }
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${spec} wrote no tarball`);
    const unpacked = path.join(work, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', unpacked, '--strip-components=1']);
    const version = versionOf(binaryIn(unpacked));
    if (version !== `v${NODE22_VERSION}`) {
      throw new Error(`${spec} unpacked, but its binary reports ${version ?? 'nothing'}`);
    }
    if (!existsSync(binary)) {
      rmSync(dir, { recursive: true, force: true });
      try {
        renameSync(unpacked, dir);
      } catch (error) {
        // Another process finished first; theirs is as good as ours.
        if (!existsSync(binary)) throw error;
      }
    }
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(node22Binary());
}
