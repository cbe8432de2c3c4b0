/**
 * The home page's "Reset progress": a two-step confirmation in place (no modal), so a stray click
 * never erases anything and keyboard focus always lands somewhere sensible.
 */
import { clearAllProgress, PROGRESS_EVENT } from '../utils/progress.ts';
import { browserStorage } from './storage.ts';

export function initResetProgress(): void {
  const root = document.querySelector<HTMLElement>('[data-reset-progress]');
  if (!root) return;
  const start = root.querySelector<HTMLButtonElement>('[data-reset-start]')!;
  const confirm = root.querySelector<HTMLElement>('[data-reset-confirm]')!;
  const yes = root.querySelector<HTMLButtonElement>('[data-reset-yes]')!;
  const no = root.querySelector<HTMLButtonElement>('[data-reset-no]')!;
  const status = root.querySelector<HTMLElement>('[data-reset-status]')!;

  const show = (confirming: boolean): void => {
    start.hidden = confirming;
    confirm.hidden = !confirming;
  };
  start.addEventListener('click', () => {
    show(true);
    no.focus();
  });
  no.addEventListener('click', () => {
    show(false);
    start.focus();
  });
  yes.addEventListener('click', () => {
    clearAllProgress(browserStorage());
    window.dispatchEvent(new CustomEvent(PROGRESS_EVENT));
    show(false);
    start.focus();
    status.textContent = 'Progress erased.';
  });
}
