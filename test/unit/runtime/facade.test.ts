import { describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import {
  RuntimeError,
  type BootProgress,
  getPreferredRuntime,
  getRuntime,
  setPreferredRuntime,
} from '../../../src/runtime/index.ts';
import { RUNTIME_STORAGE_KEY } from '../../../src/runtime/select.ts';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

describe('the remembered runtime choice', () => {
  it('is stored under its versioned key and read back; auto forgets it', () => {
    const storage = memoryStorage();
    expect(getPreferredRuntime(storage, '')).toBe('auto');
    setPreferredRuntime('local', storage);
    expect(storage.values.get(RUNTIME_STORAGE_KEY)).toBe('local');
    expect(getPreferredRuntime(storage, '')).toBe('local');
    setPreferredRuntime('auto', storage);
    expect(storage.values.has(RUNTIME_STORAGE_KEY)).toBe(false);
  });

  it('?runtime= in the address wins over the remembered choice', () => {
    const storage = memoryStorage();
    setPreferredRuntime('local', storage);
    expect(getPreferredRuntime(storage, '?runtime=webcontainer')).toBe('webcontainer');
  });

  it('ignores a value it did not write, and survives storage that throws', () => {
    const storage = memoryStorage();
    storage.values.set(RUNTIME_STORAGE_KEY, 'docker');
    expect(getPreferredRuntime(storage, '')).toBe('auto');
    const blocked = {
      getItem: (): string | null => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      removeItem: () => {},
    };
    expect(() => setPreferredRuntime('local', blocked)).not.toThrow();
    expect(getPreferredRuntime(blocked, '')).toBe('auto');
  });
});

describe('getRuntime', () => {
  it('loads the WebContainer backend when asked and reports why it cannot run here', async () => {
    // Node has no notion of cross-origin isolation, like a browser that can't run WebContainers.
    const steps: BootProgress[] = [];
    const error: unknown = await getRuntime({
      choice: 'webcontainer',
      storage: null,
      onStep: (progress) => steps.push(progress),
    }).catch((e: unknown) => e);
    // Loading the backend's code is a step of its own, named before the boot can fail.
    expect(steps).toEqual([{ kind: 'webcontainer', step: 'loading' }]);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('unsupported');
    expect((error as RuntimeError).message).toMatch(/choose Local/);
  });

  it('auto with no runner answering and no isolation says how to run the lesson locally', async () => {
    const error: unknown = await getRuntime({
      storage: null,
      search: '',
      backendOptions: {
        local: { baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000, WebSocket: NodeWebSocket },
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('not-isolated');
    expect((error as RuntimeError).message).toMatch(/npm start/);
  });
});
