/**
 * The words a lab uses to show that the learner's work was kept: which version of a file is shown
 * and how the last check went. Shared by the first view and the live workspace.
 */
import type { LessonProgress } from '../../utils/progress.ts';
import { timeAgo } from '../../utils/time-ago.ts';

/** "Your version (not the starter), saved 5 minutes ago". */
export function savedLabel(savedAt: string | null, now: Date): string {
  const version = 'Your version (not the starter)';
  return savedAt ? `${version}, saved ${timeAgo(new Date(savedAt), now)}` : version;
}

export interface LastCheck {
  text: string;
  state: 'pass' | 'fail';
}

/** "Last check: 3 of 6 pass, 2 hours ago"; null before the lab's first check run. */
export function lastCheckLabel(progress: LessonProgress, now: Date): LastCheck | null {
  const total = progress.totalChecks;
  if (total === 0) return null;
  const passed = Math.min(progress.passedChecks.length, total);
  const when = progress.checkedAt ? `, ${timeAgo(new Date(progress.checkedAt), now)}` : '';
  return {
    text: `Last check: ${passed} of ${total} pass${when}`,
    state: passed === total ? 'pass' : 'fail',
  };
}
