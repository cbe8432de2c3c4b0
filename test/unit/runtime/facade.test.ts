import { describe, expect, it } from 'vitest';
import {
  RUNTIME_STORAGE_KEY,
  RuntimeError,
  getPreferredRuntime,
  getRuntime,
  setPreferredRuntime,
  type ChoiceStorage,
} from '../../../src/runtime/index.ts';

function memoryStorage(): ChoiceStorage & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

describe('the remembered runtime choice', () => {
  it('is stored under its versioned key and read back; auto forgets it', () => {
    const storage = memoryStorage();
    expect(getPreferredRuntime(storage)).toBe('auto');
    setPreferredRuntime('local', storage);
    expect(storage.values.get(RUNTIME_STORAGE_KEY)).toBe('local');
    expect(getPreferredRuntime(storage)).toBe('local');
    setPreferredRuntime('auto', storage);
    expect(storage.values.has(RUNTIME_STORAGE_KEY)).toBe(false);
  });

  it('ignores a value it did not write, and survives storage that throws', () => {
    const storage = memoryStorage();
    storage.values.set(RUNTIME_STORAGE_KEY, 'docker');
    expect(getPreferredRuntime(storage)).toBe('auto');
    const blocked: ChoiceStorage = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      removeItem: () => {},
    };
    expect(() => setPreferredRuntime('local', blocked)).not.toThrow();
    expect(getPreferredRuntime(blocked)).toBe('auto');
  });
});

describe('getRuntime', () => {
  it('loads the WebContainer backend on request and reports why it cannot run here', async () => {
    // Node has no notion of cross-origin isolation, like a browser that can't run WebContainers.
    const error: unknown = await getRuntime({
      search: '?runtime=webcontainer',
      storage: null,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('unsupported');
    expect((error as RuntimeError).message).toMatch(/choose Local/);
  });
});
