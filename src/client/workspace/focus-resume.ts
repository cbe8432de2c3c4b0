/**
 * Part of the lesson's first view (the loader), so it stays tiny: was this lab in focus mode when
 * the learner last left the page? Then the loader mounts the workspace at once and focus mode
 * comes back, instead of waiting for a click.
 */
import { browserStorage } from '../storage.ts';
import { FOCUS_MIN_WIDTH, FOCUS_STATE_KEY } from './focus-state.ts';

export function focusWasOn(labId: string | undefined): boolean {
  if (!labId || !globalThis.matchMedia?.(`(min-width: ${FOCUS_MIN_WIDTH}px)`).matches) return false;
  try {
    const saved = JSON.parse(browserStorage().getItem(FOCUS_STATE_KEY) ?? 'null') as unknown;
    return (saved as { lab?: unknown } | null)?.lab === labId;
  } catch {
    return false;
  }
}
