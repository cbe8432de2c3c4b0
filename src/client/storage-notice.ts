/**
 * Tells the learner, once per page, that this browser keeps nothing: their edits, check results
 * and answers work for this visit but will be gone on the next one. Silence would look like a bug
 * the day they come back to an empty lab.
 */
import { STORAGE_BLOCKED_EVENT, storageBlocked } from './storage.ts';

const NOTICE =
  'This browser is blocking site storage, so your progress and edits cannot be saved. Everything works, but only until you leave this page.';

function show(): void {
  if (document.querySelector('[data-storage-notice]')) return;
  const note = document.createElement('p');
  note.className = 'storage-notice';
  note.setAttribute('role', 'status');
  note.dataset['storageNotice'] = '';
  note.textContent = NOTICE;
  const main = document.getElementById('main');
  if (main) main.prepend(note);
  else document.body.prepend(note);
}

export function initStorageNotice(): void {
  if (storageBlocked()) show();
  else window.addEventListener(STORAGE_BLOCKED_EVENT, show, { once: true });
}
