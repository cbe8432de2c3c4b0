/**
 * Fills completion marks in from browser storage: every element with data-lesson-slug gets
 * data-complete and data-outcome (a lab finished after opening its solution is marked apart from
 * one the learner solved alone), and the home page's summary counts them. Re-runs when progress changes in this
 * tab (PROGRESS_EVENT) or another one (storage event).
 */
import { lessonOutcome, PROGRESS_EVENT, PROGRESS_PREFIX, readProgress } from '../utils/progress.ts';
import { initStorageNotice } from './storage-notice.ts';
import { browserStorage } from './storage.ts';

function lessonOf(el: HTMLElement): { slug: string; hasLab: boolean; questionIds: string[] } {
  return {
    slug: el.dataset['lessonSlug'] ?? '',
    hasLab: el.dataset['hasLab'] === 'true',
    questionIds: (el.dataset['questionIds'] ?? '').split(' ').filter(Boolean),
  };
}

export function refreshProgressMarks(): void {
  const storage = browserStorage();
  const seen = new Map<string, boolean>();
  const questions = new Map<string, { answered: number; total: number }>();
  for (const el of document.querySelectorAll<HTMLElement>('[data-lesson-slug]')) {
    const lesson = lessonOf(el);
    const progress = readProgress(storage, lesson.slug);
    const outcome = lessonOutcome(progress, lesson);
    const complete = outcome !== 'open';
    seen.set(lesson.slug, complete);
    questions.set(lesson.slug, {
      answered: lesson.questionIds.filter((id) => progress.answered.includes(id)).length,
      total: lesson.questionIds.length,
    });
    el.dataset['complete'] = String(complete);
    el.dataset['outcome'] = outcome;
    const label = el.querySelector<HTMLElement>('[data-complete-label]');
    if (label) {
      label.hidden = !complete;
      // The markup holds both wordings: the label's own text, and data-solution-text.
      label.dataset['aloneText'] ??= label.textContent?.trim() ?? '';
      label.textContent =
        outcome === 'with-solution'
          ? (label.dataset['solutionText'] ?? label.dataset['aloneText'])
          : label.dataset['aloneText'];
    }
  }
  const done = [...seen.values()].filter(Boolean).length;
  for (const el of document.querySelectorAll<HTMLElement>('[data-progress-summary]')) {
    el.textContent = `${done} of ${seen.size} lessons complete`;
  }
  const answered = [...questions.values()].reduce((sum, q) => sum + q.answered, 0);
  const asked = [...questions.values()].reduce((sum, q) => sum + q.total, 0);
  for (const el of document.querySelectorAll<HTMLElement>('[data-questions-summary]')) {
    el.textContent = `${answered} of ${asked} self-check questions answered`;
  }
  for (const el of document.querySelectorAll<HTMLProgressElement>('progress[data-progress-bar]')) {
    el.max = Math.max(seen.size, 1);
    el.value = done;
  }
}

export function initProgressMarks(): void {
  initStorageNotice();
  refreshProgressMarks();
  window.addEventListener(PROGRESS_EVENT, refreshProgressMarks);
  window.addEventListener('storage', (event) => {
    if (event.key === null || event.key.startsWith(PROGRESS_PREFIX)) refreshProgressMarks();
  });
}
