/**
 * What focus mode remembers across reloads: which lab was in focus (if any), the open side tab,
 * the pane sizes, and whether Run should open focus mode. One small JSON value for the whole
 * course, so a layout the learner likes follows them from lab to lab. Anything unreadable, from an
 * old version or a hand-edited value, gives the defaults: a bad value must never break a lab.
 */
import type { KeyValueStorage } from '../../utils/progress.ts';

export const FOCUS_STATE_KEY = 'svs:focus:v1';

/** Below this window width the lab stays in the lesson: three panes would be too narrow. */
export const FOCUS_MIN_WIDTH = 1100;

/** The side column's tabs under the preview. */
export const SIDE_TABS = ['checks', 'terminal', 'traffic'] as const;
export type SideTab = (typeof SIDE_TABS)[number];

export interface FocusState {
  /** The lab shown in focus mode, or null when the learner is reading the lesson. */
  lab: string | null;
  tab: SideTab;
  /** Pane sizes in percent: the steps column and the side column of the width, the preview of the height. */
  steps: number;
  side: number;
  preview: number;
  /** Pressing Run opens focus mode (on wide screens), until the learner turns it off. */
  openOnRun: boolean;
}

export const FOCUS_DEFAULTS: FocusState = {
  lab: null,
  tab: 'checks',
  steps: 24,
  side: 36,
  preview: 55,
  openOnRun: true,
};

/** The limits the separators allow; a stored size outside them is treated as corrupt. */
export const SIZE_LIMITS = {
  steps: { min: 14, max: 40 },
  side: { min: 22, max: 55 },
  preview: { min: 25, max: 80 },
} as const;

function size(value: unknown, key: keyof typeof SIZE_LIMITS): number {
  const { min, max } = SIZE_LIMITS[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
    ? value
    : FOCUS_DEFAULTS[key];
}

/** Reads the stored state field by field: one bad field falls back alone. */
export function parseFocusState(text: string | null): FocusState {
  if (text === null) return { ...FOCUS_DEFAULTS };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...FOCUS_DEFAULTS };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ...FOCUS_DEFAULTS };
  const value = raw as Record<string, unknown>;
  return {
    lab:
      typeof value['lab'] === 'string' && /^[a-z0-9-]{1,64}$/.test(value['lab'])
        ? value['lab']
        : null,
    tab: SIDE_TABS.includes(value['tab'] as SideTab)
      ? (value['tab'] as SideTab)
      : FOCUS_DEFAULTS.tab,
    steps: size(value['steps'], 'steps'),
    side: size(value['side'], 'side'),
    preview: size(value['preview'], 'preview'),
    openOnRun:
      typeof value['openOnRun'] === 'boolean' ? value['openOnRun'] : FOCUS_DEFAULTS.openOnRun,
  };
}

export function readFocusState(storage: KeyValueStorage): FocusState {
  return parseFocusState(storage.getItem(FOCUS_STATE_KEY));
}

export function writeFocusState(storage: KeyValueStorage, change: Partial<FocusState>): FocusState {
  const next = { ...readFocusState(storage), ...change };
  storage.setItem(FOCUS_STATE_KEY, JSON.stringify(next));
  return next;
}
