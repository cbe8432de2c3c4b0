/**
 * Where the home page's main button sends a returning learner. A lab with saved edits that has not
 * passed yet comes first (the most recently saved one): that is work they were in the middle of.
 * Otherwise the first unfinished lesson after the furthest one they touched. A learner with no
 * progress at all (or whose storage is blocked) gets null: "Start the course".
 *
 * Pure, so the rules are tested without a page.
 */
import { isLessonComplete, type LessonProgress } from './progress.ts';

export interface LessonState {
  slug: string;
  title: string;
  hasLab: boolean;
  questionIds: readonly string[];
  progress: LessonProgress;
  /** The lab's saved edits: null when none; `savedAt` null when saved before saves were dated. */
  edits: { savedAt: string | null } | null;
}

export interface ContinueTarget {
  slug: string;
  title: string;
  /** True: this lesson's lab holds saved edits and has not passed yet; link to the lab itself. */
  labInProgress: boolean;
}

const touched = (s: LessonState): boolean =>
  s.edits !== null ||
  s.progress.totalChecks > 0 ||
  s.progress.answered.length > 0 ||
  s.progress.completedAt !== null ||
  s.progress.solutionShownAt !== null;

const savedTime = (s: LessonState): number =>
  s.edits?.savedAt ? Date.parse(s.edits.savedAt) : Number.NEGATIVE_INFINITY;

/** `lessons` in course order. */
export function continueTarget(lessons: readonly LessonState[]): ContinueTarget | null {
  const unfinished = (s: LessonState) => !isLessonComplete(s.progress, s);
  const inProgress = lessons.filter((s) => s.hasLab && s.edits !== null && unfinished(s));
  if (inProgress.length > 0) {
    // Stable: among equally dated (or undated) labs, the earliest in the course wins.
    const latest = inProgress.reduce((best, s) => (savedTime(s) > savedTime(best) ? s : best));
    return { slug: latest.slug, title: latest.title, labInProgress: true };
  }
  const furthest = lessons.findLastIndex(touched);
  if (furthest === -1) return null;
  const next =
    lessons.slice(furthest).find(unfinished) ?? lessons.slice(0, furthest).find(unfinished);
  return next ? { slug: next.slug, title: next.title, labInProgress: false } : null;
}
