/**
 * Where the learner's server crashed, read from what it printed: Node prints the file and line
 * first for a syntax error (`/tmp/x/server.js:15`) and in the stack for a thrown error. Only the
 * learner's own files count; a frame inside node:internal or the kit is no help to them.
 */
export interface CrashLocation {
  /** "SyntaxError", "TypeError", or "Error" when Node did not say. */
  kind: string;
  path: string;
  line: number;
}

export function findCrashLocation(
  output: string,
  learnerPaths: readonly string[],
): CrashLocation | null {
  // Longest first, so "lib/store.js" wins over "store.js".
  const paths = [...learnerPaths].sort((a, b) => b.length - a.length);
  const kind = /^(?:Uncaught )?([A-Z]\w*Error)\b/m.exec(output)?.[1] ?? 'Error';
  const locations = output.matchAll(/([^\s()'"]+\.(?:m|c)?js):(\d+)/g);
  for (const [, file = '', line = ''] of locations) {
    const normalised = file.replace(/^file:\/\//, '').replace(/\\/g, '/');
    const path = paths.find((p) => normalised === p || normalised.endsWith(`/${p}`));
    if (path && !normalised.includes('/_kit/')) return { kind, path, line: Number(line) };
  }
  return null;
}
