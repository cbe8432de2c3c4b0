/**
 * The home page's main button: "Start the course" for a newcomer, "Continue: <lesson>" for a
 * returning learner, "Continue: <lesson> (lab in progress)" straight to a lab they left unfinished.
 * Everything it needs is already on the page (the outline's lesson cards) or in storage.
 */
import { continueTarget, type LessonState } from '../utils/continue-target.ts';
import { readProgress } from '../utils/progress.ts';
import { readSavedEdits } from './workspace/saved-edits.ts';
import { browserStorage } from './storage.ts';

export function initContinueLink(): void {
  const link = document.querySelector<HTMLAnchorElement>('a[data-continue]');
  if (!link) return;
  const storage = browserStorage();
  const cards = [...document.querySelectorAll<HTMLAnchorElement>('#outline a[data-lesson-slug]')];
  const lessons: LessonState[] = cards.map((card) => {
    const slug = card.dataset['lessonSlug'] ?? '';
    const sandbox = card.dataset['sandbox'];
    return {
      slug,
      title: card.querySelector('[data-lesson-title]')?.textContent?.trim() ?? slug,
      hasLab: card.dataset['hasLab'] === 'true',
      questionIds: (card.dataset['questionIds'] ?? '').split(' ').filter(Boolean),
      progress: readProgress(storage, slug),
      edits: sandbox ? readSavedEdits(storage, sandbox) : null,
    };
  });
  const target = continueTarget(lessons);
  if (!target) return;
  const card = cards.find((c) => c.dataset['lessonSlug'] === target.slug);
  if (!card) return;
  const sandbox = card.dataset['sandbox'];
  link.href =
    card.getAttribute('href') + (target.labInProgress && sandbox ? `#sbx-${sandbox}` : '');
  link.textContent = `Continue: ${target.title}${target.labInProgress ? ' (lab in progress)' : ''}`;
}
