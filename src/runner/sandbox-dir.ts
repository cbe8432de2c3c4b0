import { constants, existsSync, type Stats } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  rmdir,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { removeTreeSync } from './cleanup.mjs';
import type { RunnerLimits } from './limits.ts';

export class UnsafePathError extends Error {}
/** A cap on what the page may put in one sandbox was reached; the control API answers 413. */
export class SandboxFullError extends Error {}

/**
 * On Linux, `/proc/self/fd/<fd>/<name>` names `<name>` inside the folder the descriptor holds,
 * whatever now sits at that folder's path: the equivalent of openat(2), which Node lacks.
 */
const FD_RELATIVE = existsSync('/proc/self/fd');

/**
 * One sandbox's files. Paths reaching this class were already validated as strings (paths.ts).
 * A process running in the sandbox can plant a symlink (`data -> /home/you`) at any moment, even
 * between a check and a use, so every file is reached by opening one folder at a time, refusing
 * symlinks (O_NOFOLLOW), and naming the next step relative to the folder already opened.
 */
export class SandboxDir {
  /** Bytes the page wrote, per path, for the sandbox size cap. */
  private readonly written = new Map<string, number>();

  private constructor(readonly root: string) {}

  static async create(parent: string): Promise<SandboxDir> {
    return new SandboxDir(await mkdtemp(join(parent, 'page-')));
  }

  /** Replaces the whole tree: every path is checked first, then files not in the tree are removed. */
  async mount(files: Readonly<Record<string, string>>, limits?: SizeLimits): Promise<void> {
    const paths = Object.keys(files);
    for (const path of paths) await this.refuseSymlinks(path);
    if (limits) checkSize(new Map(paths.map((p) => [p, Buffer.byteLength(files[p]!)])), limits);
    const keepFiles = new Set(paths);
    const keepFolders = new Set(paths.flatMap(parentFolders));
    const root = await this.openFolder([], false);
    try {
      await prune(root, '', keepFiles, keepFolders, this.root);
    } finally {
      await root.close();
    }
    this.written.clear();
    for (const path of paths) await this.writeChecked(path, files[path]!);
  }

  async writeFile(path: string, contents: string, limits?: SizeLimits): Promise<void> {
    await this.refuseSymlinks(path);
    if (limits) {
      const after = new Map(this.written);
      after.set(path, Buffer.byteLength(contents));
      checkSize(after, limits);
    }
    await this.writeChecked(path, contents);
  }

  async readFile(path: string, maxBytes: number): Promise<string> {
    await this.refuseSymlinks(path);
    const segments = path.split('/');
    const folder = await this.openFolder(segments.slice(0, -1), false);
    let handle: FileHandle;
    try {
      // O_NONBLOCK: opening a FIFO the sandbox made would otherwise wait forever for a writer,
      // holding one of libuv's few file-system threads (four such reads stall the whole server).
      handle = await open(
        at(folder, this.root, segments.slice(0, -1), segments.at(-1)!),
        READ_FLAGS,
      );
    } catch (error) {
      throw symlinkRefusal(error, path);
    } finally {
      await folder.close();
    }
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

  /** Deletes the folder, even parts sandbox code made read-only; returns why it could not, or null. */
  remove(): string | null {
    return removeTreeSync(this.root);
  }

  /** A clear refusal before anything is written; the opening below is what actually enforces it. */
  private async refuseSymlinks(path: string): Promise<void> {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      const stats = await lstat(join(this.root, prefix)).catch(() => null);
      if (!stats) return; // nothing further down exists yet
      if (stats.isSymbolicLink()) throw new UnsafePathError(`${prefix} is a symbolic link`);
    }
  }

  /** Opens `segments` under the root one folder at a time, never through a symlink. */
  private async openFolder(segments: string[], create: boolean): Promise<FileHandle> {
    let handle = await open(this.root, DIR_FLAGS);
    for (let i = 0; i < segments.length; i++) {
      const path = at(handle, this.root, segments.slice(0, i), segments[i]!);
      try {
        if (create) await mkdir(path).catch(ignoreCode('EEXIST'));
        const next = await open(path, DIR_FLAGS);
        await handle.close();
        handle = next;
      } catch (error) {
        await handle.close();
        throw symlinkRefusal(error, segments.slice(0, i + 1).join('/'));
      }
    }
    return handle;
  }

  private async writeChecked(path: string, contents: string): Promise<void> {
    const segments = path.split('/');
    const folder = await this.openFolder(segments.slice(0, -1), true);
    let handle: FileHandle | null = null;
    try {
      const target = at(folder, this.root, segments.slice(0, -1), segments.at(-1)!);
      handle = await openForWrite(target, WRITE_FLAGS).catch((error) => {
        throw symlinkRefusal(error, path);
      });
      if (!handle) {
        // Not a plain file of its own (a FIFO, a socket, or a hard link to a file that may live
        // outside the sandbox): replace the entry rather than write through it.
        await unlink(target);
        handle = await openForWrite(target, WRITE_FLAGS | constants.O_EXCL);
        if (!handle) throw new UnsafePathError(`${path} could not be replaced by a plain file`);
      }
    } finally {
      await folder.close();
    }
    if (!handle) throw new UnsafePathError(`${path} could not be opened`);
    try {
      // Truncating only now, after the checks, so a linked file is never emptied either.
      await handle.truncate(0);
      await handle.writeFile(contents, 'utf8');
      this.written.set(path, Buffer.byteLength(contents));
    } finally {
      await handle.close();
    }
  }
}

type SizeLimits = Pick<RunnerLimits, 'maxFiles' | 'maxSandboxBytes'>;

function checkSize(written: Map<string, number>, limits: SizeLimits): void {
  if (written.size > limits.maxFiles)
    throw new SandboxFullError(
      `the sandbox already holds ${limits.maxFiles} files from this page; Reset the lab to start over`,
    );
  let total = 0;
  for (const bytes of written.values()) total += bytes;
  if (total > limits.maxSandboxBytes)
    throw new SandboxFullError(
      `the sandbox would hold ${(total / 1024 / 1024).toFixed(1)} MB from this page; at most ${limits.maxSandboxBytes / 1024 / 1024} MB`,
    );
}

/**
 * `name` inside the folder `handle` holds. Off Linux there is no descriptor-relative path, so the
 * path from the root is used and only the per-step O_NOFOLLOW protects it.
 */
function at(handle: FileHandle, root: string, parents: string[], name: string): string {
  return FD_RELATIVE ? `/proc/self/fd/${handle.fd}/${name}` : join(root, ...parents, name);
}

/** Deletes (never follows) every entry that is not a kept file or a folder leading to one. */
async function prune(
  folder: FileHandle,
  relative: string,
  keepFiles: Set<string>,
  keepFolders: Set<string>,
  root = '',
): Promise<void> {
  const here = FD_RELATIVE ? `/proc/self/fd/${folder.fd}` : join(root, relative);
  for (const name of await readdir(here)) {
    const path = relative ? `${relative}/${name}` : name;
    const entry = `${here}/${name}`;
    const stats = await lstat(entry).catch(() => null);
    if (!stats) continue;
    if (stats.isDirectory() && keepFolders.has(path)) {
      const child = await open(entry, DIR_FLAGS).catch(() => null);
      if (!child) {
        await removeEntry(here, name); // swapped for a symlink meanwhile: not a folder of ours
        continue;
      }
      try {
        await prune(child, path, keepFiles, keepFolders, root);
      } finally {
        await child.close();
      }
    } else if (stats.isDirectory() || !stats.isFile() || !keepFiles.has(path)) {
      await removeEntry(here, name);
    }
  }
}

/** Removes `name` in `folder` and, for a folder, everything in it, one opened folder at a time. */
async function removeEntry(folder: string, name: string): Promise<void> {
  const entry = `${folder}/${name}`;
  const child = await open(entry, DIR_FLAGS).catch(() => null);
  if (!child) return unlink(entry).catch(ignoreCode('ENOENT'));
  try {
    const inside = FD_RELATIVE ? `/proc/self/fd/${child.fd}` : entry;
    for (const grandchild of await readdir(inside)) await removeEntry(inside, grandchild);
  } finally {
    await child.close();
  }
  await rmdir(entry).catch(ignoreCode('ENOENT'));
}

function ignoreCode(code: string) {
  return (error: NodeJS.ErrnoException) => {
    if (error.code !== code) throw error;
  };
}

/** O_NOFOLLOW on a symlink fails with ELOOP (ENOTDIR with O_DIRECTORY): say what happened. */
function symlinkRefusal(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'ENOTDIR')
    return new UnsafePathError(`${path} is a symbolic link or not a folder`);
  return error;
}

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
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
