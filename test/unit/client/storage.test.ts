import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../../helpers/memory-storage.ts';
import type { KeyValueStorage } from '../../../src/utils/progress.ts';

/** storage.ts remembers per page that storage failed; each test gets a fresh page. */
async function freshModule() {
  vi.resetModules();
  return import('../../../src/client/storage.ts');
}

function throwing(): KeyValueStorage {
  const fail = () => {
    throw new DOMException('blocked', 'SecurityError');
  };
  return { getItem: fail, setItem: fail, removeItem: fail, key: fail, length: 0 };
}

afterEach(() => vi.unstubAllGlobals());

describe('browser storage', () => {
  it('passes reads and writes through when storage works, and reports nothing', async () => {
    const { safeStorage, storageBlocked } = await freshModule();
    const native = memoryStorage({ keep: 'old' });
    const storage = safeStorage(native);
    storage.setItem('a', '1');
    expect(native.entries.get('a')).toBe('1');
    expect(storage.getItem('keep')).toBe('old');
    expect(storage.length).toBe(2);
    expect(storageBlocked()).toBe(false);
  });

  it('keeps working in memory when every call throws, and says so once', async () => {
    const { safeStorage, storageBlocked, STORAGE_BLOCKED_EVENT } = await freshModule();
    const heard = vi.fn();
    const target = new EventTarget();
    vi.stubGlobal('dispatchEvent', (event: Event) => target.dispatchEvent(event));
    target.addEventListener(STORAGE_BLOCKED_EVENT, heard);
    const storage = safeStorage(throwing());
    expect(storage.getItem('a')).toBeNull();
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    expect(storage.getItem('a')).toBe('1');
    expect(storage.key(1)).toBe('b');
    storage.removeItem('a');
    expect(storage.getItem('a')).toBeNull();
    expect(storageBlocked()).toBe(true);
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it('falls back when the quota is full, still reading what was stored before', async () => {
    const { safeStorage, storageBlocked } = await freshModule();
    const native = memoryStorage({ old: 'kept' });
    native.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const storage = safeStorage(native);
    storage.setItem('new', 'value');
    expect(storage.getItem('new')).toBe('value');
    expect(storageBlocked()).toBe(true);
  });

  it('gives a working storage when reading localStorage itself throws', async () => {
    const { browserStorage, storageBlocked } = await freshModule();
    vi.stubGlobal('dispatchEvent', () => true);
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    try {
      const storage = browserStorage();
      storage.setItem('svs:progress:v1:x', '{}');
      expect(storage.getItem('svs:progress:v1:x')).toBe('{}');
      expect(storageBlocked()).toBe(true);
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });
});
