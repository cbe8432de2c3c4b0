/**
 * The one door to browser storage. Every browser script reads and writes through `browserStorage()`
 * and never touches `localStorage` itself, because storage fails in more ways than it works:
 * reading the property throws where the browser blocks site data, `setItem` throws when the quota
 * is full, and private modes may do either. Here any failure switches this page to an in-memory
 * copy, so everything keeps working for the visit, and the page is told once (STORAGE_BLOCKED_EVENT)
 * so it can say that progress will not be kept.
 */
import type { KeyValueStorage } from '../utils/progress.ts';

/** Fired on `window`, at most once per page, the first time storage fails. */
export const STORAGE_BLOCKED_EVENT = 'svs:storage-blocked';

let blocked = false;
let shared: KeyValueStorage | null = null;

function reportBlocked(): void {
  if (blocked) return;
  blocked = true;
  globalThis.dispatchEvent?.(new Event(STORAGE_BLOCKED_EVENT));
}

/** True once storage has failed on this page (what is written now lasts only for this visit). */
export function storageBlocked(): boolean {
  return blocked;
}

function nativeStorage(): KeyValueStorage | null {
  try {
    const native = (globalThis as { localStorage?: KeyValueStorage }).localStorage ?? null;
    // Some browsers hand out a storage object whose every call throws; find out now.
    native?.getItem('svs:probe');
    return native;
  } catch {
    return null;
  }
}

/**
 * Wraps `native` (null: none at all) so no call throws. Reads fall back to the memory copy, which
 * holds whatever this page wrote after storage failed.
 */
export function safeStorage(native: KeyValueStorage | null): KeyValueStorage {
  const memory = new Map<string, string>();
  let usable = native !== null;
  if (!usable) reportBlocked();
  const attempt = <T>(work: (store: KeyValueStorage) => T, fallback: () => T): T => {
    if (usable && native) {
      try {
        return work(native);
      } catch {
        usable = false;
        reportBlocked();
      }
    }
    return fallback();
  };
  const keys = (): string[] => {
    const names = new Set(memory.keys());
    attempt(
      (s) => {
        for (let i = 0; i < s.length; i += 1) {
          const name = s.key(i);
          if (name !== null) names.add(name);
        }
      },
      () => undefined,
    );
    return [...names];
  };
  return {
    getItem: (key) =>
      memory.has(key)
        ? (memory.get(key) ?? null)
        : attempt(
            (s) => s.getItem(key),
            () => null,
          ),
    setItem(key, value) {
      attempt(
        (s) => {
          s.setItem(key, value);
          memory.delete(key);
        },
        () => void memory.set(key, value),
      );
    },
    removeItem(key) {
      memory.delete(key);
      attempt(
        (s) => s.removeItem(key),
        () => undefined,
      );
    },
    get length() {
      return keys().length;
    },
    key: (index) => keys()[index] ?? null,
  };
}

/** This page's storage: localStorage when the browser allows it, memory when it does not. */
export function browserStorage(): KeyValueStorage {
  shared ??= safeStorage(nativeStorage());
  return shared;
}
