import { describe, expect, it } from 'vitest';
import {
  FOCUS_DEFAULTS,
  FOCUS_STATE_KEY,
  parseFocusState,
  readFocusState,
  writeFocusState,
} from '../../../../src/client/workspace/focus-state.ts';
import type { KeyValueStorage } from '../../../../src/utils/progress.ts';

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
  };
}

describe('the focus layout a learner left behind', () => {
  it('comes back as it was saved', () => {
    const storage = memoryStorage();
    writeFocusState(storage, { lab: 'scale-out-cart', tab: 'terminal', preview: 70 });
    writeFocusState(storage, { steps: 30 });
    expect(readFocusState(storage)).toEqual({
      ...FOCUS_DEFAULTS,
      lab: 'scale-out-cart',
      tab: 'terminal',
      preview: 70,
      steps: 30,
    });
  });

  it('starts from the defaults when nothing was saved or the value is not JSON', () => {
    expect(parseFocusState(null)).toEqual(FOCUS_DEFAULTS);
    expect(parseFocusState('{"lab": "sca')).toEqual(FOCUS_DEFAULTS);
    expect(parseFocusState('[1,2]')).toEqual(FOCUS_DEFAULTS);
    expect(parseFocusState('null')).toEqual(FOCUS_DEFAULTS);
  });

  it('drops each field that is wrong and keeps the rest', () => {
    const parsed = parseFocusState(
      JSON.stringify({
        lab: '../../etc',
        tab: 'settings',
        steps: 2,
        side: Number.NaN,
        preview: 60,
        openOnRun: false,
      }),
    );
    expect(parsed).toEqual({ ...FOCUS_DEFAULTS, preview: 60, openOnRun: false });
  });

  it('a pane size outside what the separators allow is not trusted', () => {
    expect(parseFocusState(JSON.stringify({ side: 99, preview: 5 }))).toMatchObject({
      side: FOCUS_DEFAULTS.side,
      preview: FOCUS_DEFAULTS.preview,
    });
  });

  it('writing over a corrupt value repairs it', () => {
    const storage = memoryStorage();
    storage.setItem(FOCUS_STATE_KEY, '{{{');
    writeFocusState(storage, { openOnRun: false });
    expect(JSON.parse(storage.getItem(FOCUS_STATE_KEY)!)).toEqual({
      ...FOCUS_DEFAULTS,
      openOnRun: false,
    });
  });
});
