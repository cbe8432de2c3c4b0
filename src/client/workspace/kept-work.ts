/**
 * Part of the first view: before the editor has loaded, the static lab shows the learner's saved
 * files (as plain text: highlighting them would need the editor's code) with a label saying they
 * are the learner's, and how their last check went. Without this a reload showed the starter until
 * the first click, which looked like lost work. Unreadable storage leaves the starter in place.
 */
import type { KeyValueStorage } from '../../utils/progress.ts';
import { readProgress } from '../../utils/progress.ts';
import { lessonSlugOf } from './context.ts';
import { lastCheckLabel, savedLabel } from './kept-work-text.ts';
import { readSavedEdits } from './saved-edits.ts';

/** Shiki drops a file's final newline; that alone doesn't make a file the learner's. */
const sameText = (a: string, b: string) => a.replace(/\n$/, '') === b.replace(/\n$/, '');

export function showKeptWork(root: HTMLElement, storage: KeyValueStorage, now: Date): void {
  const saved = readSavedEdits(storage, root.dataset['sandbox'] ?? '');
  for (const pane of root.querySelectorAll<HTMLElement>('[data-file-pane]')) {
    const path = pane.dataset['filePane'] ?? '';
    const text = saved && Object.hasOwn(saved.files, path) ? saved.files[path] : undefined;
    const code = pane.querySelector('pre code');
    if (text === undefined || !code || sameText(text, code.textContent ?? '')) continue;
    code.textContent = text;
    const label = document.createElement('p');
    label.className = 'sbx__kept';
    label.textContent = savedLabel(saved?.savedAt ?? null, now);
    pane.prepend(label);
    for (const tab of root.querySelectorAll<HTMLElement>('[data-file]')) {
      if (tab.dataset['file'] === path) tab.dataset['edited'] = 'true';
    }
  }
  const last = lastCheckLabel(readProgress(storage, lessonSlugOf(root)), now);
  const slot = root.querySelector<HTMLElement>('[data-sbx-last-check]');
  if (last && slot) {
    slot.textContent = last.text;
    slot.dataset['state'] = last.state;
    slot.hidden = false;
  }
}
