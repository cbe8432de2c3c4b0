import type { KeyValueStorage } from '../../src/utils/progress.ts';

/** A Map-backed stand-in for localStorage. */
export function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & {
  entries: Map<string, string>;
} {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    getItem: (k) => entries.get(k) ?? null,
    setItem: (k, v) => void entries.set(k, v),
    removeItem: (k) => void entries.delete(k),
    get length() {
      return entries.size;
    },
    key: (i) => [...entries.keys()][i] ?? null,
  };
}
