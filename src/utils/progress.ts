/**
 * The learner's progress, kept in the browser. One localStorage entry per lesson under a versioned
 * key, so a corrupt or foreign value costs that one lesson's entry and never the whole course.
 *
 * Isomorphic: the storage is passed in, so unit tests run without a DOM.
 */

export const PROGRESS_PREFIX = 'svs:progress:v1:';
/** Fired on `window` whenever any lesson's progress changes, so marks update without a reload. */
export const PROGRESS_EVENT = 'svs:progress';

export interface LessonProgress {
  /** Titles of the checks that passed in the latest run (all of them means the lab is done). */
  passedChecks: string[];
  /** How many checks the lab has, as of the latest run. */
  totalChecks: number;
  /** Question ids answered correctly. */
  answered: string[];
  /** Set once every check passed (and stays set: a later failing run doesn't un-complete it). */
  completedAt: string | null;
  /** When the learner first opened "Show solution" (entries written before this field: null). */
  solutionShownAt: string | null;
  /** When the latest check run ended (entries written before this field: null). */
  checkedAt: string | null;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export function emptyProgress(): LessonProgress {
  return {
    passedChecks: [],
    totalChecks: 0,
    answered: [],
    completedAt: null,
    solutionShownAt: null,
    checkedAt: null,
  };
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Fields added after the first version: absent (older entries), null, or a string. */
const isOptionalTime = (v: unknown): boolean =>
  v === undefined || v === null || typeof v === 'string';

/** Accepts only a value we could have written; anything else is treated as absent. */
function parseProgress(raw: string | null): LessonProgress | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    !isStringArray(v['passedChecks']) ||
    !isStringArray(v['answered']) ||
    typeof v['totalChecks'] !== 'number' ||
    !Number.isInteger(v['totalChecks']) ||
    v['totalChecks'] < 0 ||
    !(v['completedAt'] === null || typeof v['completedAt'] === 'string') ||
    !isOptionalTime(v['solutionShownAt']) ||
    !isOptionalTime(v['checkedAt'])
  ) {
    return null;
  }
  return {
    passedChecks: v['passedChecks'],
    totalChecks: v['totalChecks'],
    answered: v['answered'],
    completedAt: v['completedAt'],
    solutionShownAt: typeof v['solutionShownAt'] === 'string' ? v['solutionShownAt'] : null,
    checkedAt: typeof v['checkedAt'] === 'string' ? v['checkedAt'] : null,
  };
}

export function readProgress(storage: KeyValueStorage, lessonSlug: string): LessonProgress {
  const key = PROGRESS_PREFIX + lessonSlug;
  let raw: string | null = null;
  try {
    raw = storage.getItem(key);
  } catch {
    return emptyProgress();
  }
  const parsed = parseProgress(raw);
  if (parsed === null && raw !== null) {
    // Corrupt or foreign: drop this entry only, so the next write starts clean.
    try {
      storage.removeItem(key);
    } catch {
      /* storage may be read-only (private mode); reading still works */
    }
  }
  return parsed ?? emptyProgress();
}

export function writeProgress(
  storage: KeyValueStorage,
  lessonSlug: string,
  progress: LessonProgress,
): void {
  try {
    storage.setItem(PROGRESS_PREFIX + lessonSlug, JSON.stringify(progress));
  } catch {
    /* quota or private mode: progress is a convenience, never a reason to break the page */
  }
}

/** Applies `change` to one lesson's progress and writes it back; returns the new value. */
export function updateProgress(
  storage: KeyValueStorage,
  lessonSlug: string,
  change: (current: LessonProgress) => LessonProgress,
): LessonProgress {
  const next = change(readProgress(storage, lessonSlug));
  writeProgress(storage, lessonSlug, next);
  return next;
}

/** Records a check run; the lesson completes the first time every check passes. */
export function recordCheckRun(
  storage: KeyValueStorage,
  lessonSlug: string,
  passed: readonly string[],
  total: number,
  now: Date = new Date(),
): LessonProgress {
  return updateProgress(storage, lessonSlug, (p) => ({
    ...p,
    passedChecks: [...passed],
    totalChecks: total,
    checkedAt: now.toISOString(),
    completedAt: p.completedAt ?? (total > 0 && passed.length === total ? now.toISOString() : null),
  }));
}

/** Records the first time the learner opened the reference solution (later times change nothing). */
export function recordSolutionShown(
  storage: KeyValueStorage,
  lessonSlug: string,
  now: Date = new Date(),
): LessonProgress {
  return updateProgress(storage, lessonSlug, (p) => ({
    ...p,
    solutionShownAt: p.solutionShownAt ?? now.toISOString(),
  }));
}

/** Records a correctly answered question (idempotent). */
export function recordAnswer(
  storage: KeyValueStorage,
  lessonSlug: string,
  questionId: string,
): LessonProgress {
  return updateProgress(storage, lessonSlug, (p) =>
    p.answered.includes(questionId) ? p : { ...p, answered: [...p.answered, questionId] },
  );
}

/**
 * A lab lesson is complete once every check has passed; a lesson without a lab once all its
 * questions are answered correctly. (Questions in lab lessons still count toward the home page's
 * progress figure, but don't gate completion: the lab is the evidence.)
 */
export function isLessonComplete(
  progress: LessonProgress,
  lesson: { hasLab: boolean; questionIds: readonly string[] },
): boolean {
  if (lesson.hasLab) return progress.completedAt !== null;
  return (
    lesson.questionIds.length > 0 &&
    lesson.questionIds.every((id) => progress.answered.includes(id))
  );
}

/** How a lesson stands: finished by the learner alone, finished after a look at the solution, or not. */
export type LessonOutcome = 'alone' | 'with-solution' | 'open';

/**
 * A lab finished after the learner opened its solution counts as "with the solution"; a look taken
 * only after the learner had already finished it does not take their own solve away.
 */
export function lessonOutcome(
  progress: LessonProgress,
  lesson: { hasLab: boolean; questionIds: readonly string[] },
): LessonOutcome {
  if (!isLessonComplete(progress, lesson)) return 'open';
  const shown = progress.solutionShownAt;
  const completed = progress.completedAt;
  const lookedFirst =
    shown !== null && (completed === null || Date.parse(shown) <= Date.parse(completed));
  return lesson.hasLab && lookedFirst ? 'with-solution' : 'alone';
}

/** Removes every lesson's progress (the home page's "Reset progress"). Leaves other keys alone. */
export function clearAllProgress(storage: KeyValueStorage): void {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key?.startsWith(PROGRESS_PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
