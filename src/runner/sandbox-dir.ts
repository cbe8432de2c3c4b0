import { constants, type Stats } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  rm,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The runner's footprint on disk: one root directory per runner process under the OS temp dir,
 * named with the runner's pid so a later start can tell leftovers (dead pid) from a runner that is
 * still alive (the dev server and `npm start` may run side by side), and one `mkdtemp` directory
 * per page inside it.
 */

export const TEMP_PREFIX = 'svs-runner-';

export async function createRunnerRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
}

/** Removes runner roots left behind by runners that died without cleaning up. Returns how many. */
export function sweepLeftovers(): number {
  let removed = 0;
  for (const name of safeReaddir(tmpdir())) {
    const match = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is not our dead runner.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class UnsafePathError extends Error {}

/**
 * One sandbox's files. Paths reaching this class were already validated as strings (paths.ts);
 * here we refuse to go through anything on disk that is a symlink, because a process running in
 * the sandbox can plant one (`data -> /home/you`) and a later write would land outside.
 */
export class SandboxDir {
  private constructor(readonly root: string) {}

  static async create(parent: string): Promise<SandboxDir> {
    return new SandboxDir(await mkdtemp(join(parent, 'page-')));
  }

  /** Replaces the whole tree: every path is checked first, then files not in the tree are removed. */
  async mount(files: Readonly<Record<string, string>>): Promise<void> {
    const paths = Object.keys(files);
    for (const path of paths) await this.refuseSymlinks(path);
    const keepFiles = new Set(paths);
    const keepFolders = new Set(paths.flatMap(parentFolders));
    await this.prune('', keepFiles, keepFolders);
    for (const path of paths) await this.writeChecked(path, files[path]!);
  }

  async writeFile(path: string, contents: string): Promise<void> {
    await this.refuseSymlinks(path);
    await this.writeChecked(path, contents);
  }

  async readFile(path: string, maxBytes: number): Promise<string> {
    await this.refuseSymlinks(path);
    // O_NONBLOCK: opening a FIFO the sandbox made would otherwise wait forever for a writer,
    // holding one of libuv's few file-system threads (four such reads stall the whole server).
    const handle = await open(join(this.root, path), READ_FLAGS);
    try {
      const stats = await handle.stat();
      const problem = notPlainFile(stats);
      if (problem) throw new UnsafePathError(`${path} ${problem}`);
      if (stats.size > maxBytes)
        throw new UnsafePathError(`the file is larger than ${maxBytes} bytes`);
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }

  /** Resolves a checked relative folder (for a process's cwd), refusing symlinks and non-folders. */
  async folder(path: string | undefined): Promise<string> {
    if (!path || path === '.') return this.root;
    await this.refuseSymlinks(path);
    const stats = await lstat(join(this.root, path)).catch(() => null);
    if (!stats?.isDirectory()) throw new UnsafePathError(`${path} is not a folder in the sandbox`);
    return join(this.root, path);
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  removeSync(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private async refuseSymlinks(path: string): Promise<void> {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      const stats = await lstat(join(this.root, prefix)).catch(() => null);
      if (!stats) return; // nothing further down exists yet
      if (stats.isSymbolicLink()) throw new UnsafePathError(`${prefix} is a symbolic link`);
    }
  }

  private async writeChecked(path: string, contents: string): Promise<void> {
    const target = join(this.root, path);
    const folder = parentFolders(path).at(-1);
    if (folder) await mkdir(join(this.root, folder), { recursive: true });
    let handle = await openForWrite(target, WRITE_FLAGS);
    if (!handle) {
      // Not a plain file of its own (a FIFO, a socket, or a hard link to a file that may live
      // outside the sandbox): replace the entry rather than write through it.
      await unlink(target);
      handle = await openForWrite(target, WRITE_FLAGS | constants.O_EXCL);
      if (!handle) throw new UnsafePathError(`${path} could not be replaced by a plain file`);
    }
    try {
      // Truncating only now, after the checks, so a linked file is never emptied either.
      await handle.truncate(0);
      await handle.writeFile(contents, 'utf8');
    } finally {
      await handle.close();
    }
  }

  /** Deletes (never follows) every entry that is not a kept file or a folder leading to one. */
  private async prune(relative: string, keepFiles: Set<string>, keepFolders: Set<string>) {
    const entries = await readdir(join(this.root, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      const absolute = join(this.root, path);
      if (entry.isDirectory()) {
        if (keepFolders.has(path)) await this.prune(path, keepFiles, keepFolders);
        else await rm(absolute, { recursive: true, force: true });
      } else if (!entry.isFile() || !keepFiles.has(path)) {
        await unlink(absolute);
      }
    }
  }
}

// O_NOFOLLOW closes the gap where a symlink appears between the check and the open.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const WRITE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Why an opened entry must not be read or written through, or null for a plain file. */
function notPlainFile(stats: Stats): string | null {
  if (!stats.isFile()) return 'is not a regular file';
  // A hard link made by sandbox code can point at any file of the user's on the same disk.
  if (stats.nlink > 1) return 'is a hard link to another file';
  return null;
}

/** Opens for writing; null when the entry is there but is not a plain file of its own. */
async function openForWrite(target: string, flags: number): Promise<FileHandle | null> {
  let handle: FileHandle;
  try {
    handle = await open(target, flags, 0o644);
  } catch (error) {
    // ENXIO: a FIFO or socket with no reader (O_NONBLOCK keeps that from blocking).
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') return null;
    throw error;
  }
  if (notPlainFile(await handle.stat()) === null) return handle;
  await handle.close();
  return null;
}

/** `a/b/c.js` -> [`a`, `a/b`] */
function parentFolders(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join('/'));
}
