import type { RunnerLimits } from './limits.ts';

/**
 * Validation of sandbox-relative file paths, done on the string alone before anything touches the
 * disk. A path is accepted only if it can mean one file inside the sandbox on every OS: POSIX
 * separators, no way to climb out, no names Windows treats as devices.
 */

// Windows device names stay special with any extension (`con.txt`), so compare the stem.
const RESERVED_STEMS = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  // Windows also treats the superscript digits ¹ ² ³ as port numbers.
  ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '\u00b9', '\u00b2', '\u00b3'].flatMap((n) => [
    `com${n}`,
    `lpt${n}`,
  ]),
]);

// Most file systems cap one name at 255 bytes; longer ones would fail mid-batch, after checks.
const MAX_NAME_BYTES = 255;

// Characters Windows forbids in names, plus `:` which also marks drives and alternate streams.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f<>:"|?*\\]/;

/** Returns why `path` is unacceptable, or `null` when it is a safe sandbox-relative file path. */
export function pathProblem(
  path: string,
  limits: Pick<RunnerLimits, 'maxPathDepth' | 'maxPathLength'>,
): string | null {
  if (typeof path !== 'string' || path.length === 0) return 'the path is empty';
  if (path.includes('\u0000')) return 'the path contains a NUL byte';
  if (path.length > limits.maxPathLength)
    return `the path is longer than ${limits.maxPathLength} characters`;
  if (path.includes('\\')) return 'the path contains a backslash (use / between folders)';
  if (path.startsWith('/')) return 'the path is absolute';
  if (/^[a-zA-Z]:/.test(path)) return 'the path starts with a drive letter';
  const segments = path.split('/');
  if (segments.length > limits.maxPathDepth)
    return `the path is nested deeper than ${limits.maxPathDepth} levels`;
  for (const segment of segments) {
    if (segment === '') return 'the path has an empty folder name (// or a trailing /)';
    if (segment === '.' || segment === '..') return 'the path contains . or ..';
    if (FORBIDDEN_CHARS.test(segment))
      return `the name "${printable(segment)}" contains a forbidden character`;
    if (/[. ]$/.test(segment)) return `the name "${segment}" ends with a dot or a space`;
    if (Buffer.byteLength(segment) > MAX_NAME_BYTES)
      return `a name in the path is longer than ${MAX_NAME_BYTES} bytes`;
    const stem = segment.split('.')[0]!.toLowerCase();
    if (RESERVED_STEMS.has(stem)) return `the name "${segment}" is reserved on Windows`;
  }
  return null;
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** Checks a whole batch of files; the first problem refuses the batch. */
export function treeProblem(
  files: Readonly<Record<string, unknown>>,
  limits: Pick<RunnerLimits, 'maxPathDepth' | 'maxPathLength' | 'maxFiles' | 'maxFileBytes'>,
): string | null {
  const paths = Object.keys(files);
  if (paths.length > limits.maxFiles)
    return `too many files (${paths.length}; at most ${limits.maxFiles})`;
  const folders = new Set<string>();
  for (const path of paths) {
    const problem = pathProblem(path, limits);
    if (problem) return `${JSON.stringify(printable(path))}: ${problem}`;
    const contents = files[path];
    if (typeof contents !== 'string') return `${JSON.stringify(path)}: contents must be text`;
    if (Buffer.byteLength(contents) > limits.maxFileBytes)
      return `${JSON.stringify(path)}: file is larger than ${limits.maxFileBytes} bytes`;
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'));
  }
  // `a` as a file and `a/b` as another file cannot both exist.
  for (const path of paths)
    if (folders.has(path)) return `${JSON.stringify(path)} is both a file and a folder`;
  // On macOS and Windows `App.js` and `app.js` (or `é` composed and decomposed) are one file, so
  // the second would silently overwrite the first; a sandbox must mean the same tree everywhere.
  const seen = new Map<string, string>();
  for (const path of [...paths, ...folders]) {
    const key = path.normalize('NFC').toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== path)
      return `${JSON.stringify(path)} and ${JSON.stringify(earlier)} differ only in letter case or accents`;
    seen.set(key, path);
  }
  return null;
}
