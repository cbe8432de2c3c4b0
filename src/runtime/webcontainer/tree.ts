/**
 * Sandbox paths and file trees. Every path the UI sends is checked before anything is written, so
 * a malformed tree is refused whole rather than half-mounted.
 */
import { RuntimeError, type FileTree } from '../types.ts';
import type { ContainerTree } from './surface.ts';

/** Splits a sandbox-relative POSIX path into its parts, or throws a `rejected` RuntimeError. */
export function sandboxPathParts(path: string): string[] {
  const parts = path.split('/');
  const valid =
    path.length > 0 &&
    !path.includes('\\') &&
    !path.includes('\0') &&
    parts.every((part) => part !== '' && part !== '.' && part !== '..');
  if (!valid) {
    throw new RuntimeError(
      'rejected',
      `“${path}” isn’t a file path inside the sandbox (use a relative path like lib/store.js).`,
    );
  }
  return parts;
}

/** Turns `{ 'lib/a.js': '…' }` into WebContainer's nested `{ lib: { directory: { … } } }`. */
export function toContainerTree(files: FileTree): ContainerTree {
  const root = emptyDirectory();
  for (const [path, contents] of Object.entries(files)) {
    const parts = sandboxPathParts(path);
    const fileName = parts.pop() as string;
    let dir = root;
    for (const part of parts) {
      const existing = Object.hasOwn(dir, part) ? dir[part] : { directory: emptyDirectory() };
      if (!existing || !('directory' in existing)) throw clash(path);
      dir[part] = existing;
      dir = existing.directory;
    }
    if (Object.hasOwn(dir, fileName)) throw clash(path);
    dir[fileName] = { file: { contents } };
  }
  return root;
}

/** Null prototype, so a file called `__proto__` is just a name. */
function emptyDirectory(): ContainerTree {
  return Object.create(null) as ContainerTree;
}

function clash(path: string): RuntimeError {
  return new RuntimeError('rejected', `“${path}” clashes with another file of the same name.`);
}
