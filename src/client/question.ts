/**
 * Checks a self-check question in the page. Loaded by Question.astro on the first focus, tap or
 * submit inside any question, so pages pay nothing for it until a learner engages.
 *
 * State lives in the DOM (`data-tried`), so there is nothing to set up per question.
 */
import { PROGRESS_EVENT, recordAnswer } from '../utils/progress.ts';
import { gradeAnswer } from '../utils/question.ts';
import { browserStorage } from './storage.ts';

function recordCorrect(form: HTMLFormElement, questionId: string): void {
  const lesson =
    form.dataset['lesson'] ?? form.closest<HTMLElement>('[data-lesson]')?.dataset['lesson'];
  if (!lesson) return;
  // Where storage is blocked the answer still counts for this visit (browserStorage keeps it).
  recordAnswer(browserStorage(), lesson, questionId);
  window.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: { lesson, questionId } }));
}

export function checkAnswer(form: HTMLFormElement): void {
  const questionId = form.dataset['question'] ?? '';
  const items = [...form.querySelectorAll<HTMLElement>('[data-option]')];
  const checked = form.querySelector<HTMLInputElement>('input[type="radio"]:checked');
  const triedBefore = (form.dataset['tried'] ?? '').split(' ').filter(Boolean).map(Number);
  const grade = gradeAnswer(
    items.length,
    Number(form.dataset['answer']),
    checked ? Number(checked.value) : null,
    triedBefore,
  );

  form.dataset['tried'] = grade.tried.join(' ');
  for (const index of grade.revealed) {
    const item = items[index];
    const why = item?.querySelector<HTMLElement>('[data-why]');
    if (!item || !why) continue;
    why.hidden = false;
    item.dataset['revealed'] = '';
    // Described only once visible, so a screen reader doesn't read the answer out early.
    item.querySelector('input')?.setAttribute('aria-describedby', why.id);
  }
  const status = form.querySelector<HTMLElement>('[data-status]');
  if (status) {
    status.textContent = grade.message;
    status.dataset['verdict'] = grade.verdict;
  }
  if (grade.verdict === 'correct' && !('solved' in form.dataset)) {
    form.dataset['solved'] = '';
    recordCorrect(form, questionId);
  }
}
