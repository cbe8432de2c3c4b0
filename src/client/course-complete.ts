/**
 * The course-complete page: for each lesson, whether the learner finished it alone, finished it
 * after opening the solution, or has not finished it (lessonOutcome: the sidebar and home page
 * mark lessons by the same rule); and the numbers their labs recorded.
 * Everything comes from this browser's storage; unreadable entries count as "not finished".
 */
import { browserStorage } from './storage.ts';
import { describeMeasurement, readLearnerMeasurements } from '../utils/measurement-list.ts';
import { lessonOutcome, readProgress, type LessonOutcome as Outcome } from '../utils/progress.ts';

const outcomeText: Record<Outcome, string> = {
  alone: 'solved on your own',
  'with-solution': 'finished after opening the solution',
  open: 'not finished yet',
};

export function renderCourseSummary(root: ParentNode = document): void {
  const counts: Record<Outcome, number> = { alone: 0, 'with-solution': 0, open: 0 };
  for (const row of root.querySelectorAll<HTMLElement>('[data-summary-lesson]')) {
    const slug = row.dataset['summaryLesson'] ?? '';
    const hasLab = row.dataset['hasLab'] === 'true';
    const questionIds = (row.dataset['questionIds'] ?? '').split(' ').filter(Boolean);
    const progress = readProgress(browserStorage(), slug);
    const outcome = lessonOutcome(progress, { hasLab, questionIds });
    const done = outcome !== 'open';
    counts[outcome] += 1;
    row.dataset['outcome'] = outcome;
    const status = row.querySelector<HTMLElement>('[data-outcome-text]');
    if (status) status.textContent = hasLab || done ? outcomeText[outcome] : outcomeText.open;
    const numbers = row.querySelector<HTMLElement>('[data-numbers]');
    if (numbers) {
      const measured = hasLab ? readLearnerMeasurements(browserStorage(), slug) : [];
      numbers.textContent = measured.map(describeMeasurement).join('; ');
      numbers.hidden = measured.length === 0;
    }
  }
  const summary = root.querySelector<HTMLElement>('[data-course-summary]');
  if (summary) {
    const total = counts.alone + counts['with-solution'] + counts.open;
    summary.textContent =
      `${counts.alone + counts['with-solution']} of ${total} lessons finished: ` +
      `${counts.alone} on your own, ${counts['with-solution']} after opening the solution.`;
  }
}
