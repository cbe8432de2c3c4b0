/**
 * The plumbing every marked-line reader shares: JSON objects parsed without throwing, and a chunked
 * stream cut into complete lines. Isomorphic (no Node or DOM APIs).
 */

export type Json = Record<string, unknown>;

export const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function parseJsonObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : null;
  } catch {
    return null;
  }
}

/**
 * Splits a chunked text stream into complete lines. `push` returns the lines finished by this
 * chunk; `end` returns the unterminated remainder, if any.
 */
export function createLineSplitter(): { push(chunk: string): string[]; end(): string[] } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      return lines;
    },
    end() {
      const rest = pending;
      pending = '';
      return rest === '' ? [] : [rest];
    },
  };
}
