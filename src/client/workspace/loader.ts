/**
 * The only workspace code on a lesson's first view. It shows the learner's saved work at once, then
 * waits for the learner to reach for the lab (pointer, focus or key) before downloading the editor,
 * terminal and runtime as lazy chunks. Until then the static file tabs still switch files, so the
 * lab is readable without the heavy parts.
 */
import { browserStorage } from '../storage.ts';
import { showKeptWork } from './kept-work.ts';
import type { Intent } from './workspace.ts';
import { focusWasOn } from './focus-resume.ts';

function intentFrom(target: EventTarget | null): Intent | null {
  if (!(target instanceof Element)) return null;
  const action = target.closest<HTMLElement>('[data-action]')?.dataset['action'];
  if (action === 'run' || action === 'check' || action === 'focus') return { kind: action };
  const file = target.closest<HTMLElement>('[data-file]')?.dataset['file'];
  if (file) return { kind: 'open', path: file };
  if (target.closest('[data-file-pane]')) return { kind: 'code' };
  return null;
}

function showStaticFile(root: HTMLElement, path: string) {
  for (const tab of root.querySelectorAll<HTMLElement>('[data-file]')) {
    tab.setAttribute('aria-selected', String(tab.dataset['file'] === path));
  }
  for (const pane of root.querySelectorAll<HTMLElement>('[data-file-pane]')) {
    pane.hidden = pane.dataset['filePane'] !== path;
  }
}

function arm(root: HTMLElement) {
  try {
    showKeptWork(root, browserStorage(), new Date());
  } catch {
    /* the starter stays: saved work is a courtesy, the lab must work without it */
  }
  let intent: Intent = { kind: 'none' };
  let loading = false;
  const status = root.querySelector<HTMLElement>('[data-sbx-status]');

  /** `reaching`: what the first touch was on, if it is already known. */
  const load = (reaching: Intent | null) => {
    if (loading) return;
    loading = true;
    root.dataset['loading'] = 'true';
    if (status) status.textContent = 'Loading the editor…';
    // Boot the runtime beside the editor's download, not after it: on the local runner that is a
    // round trip for the token, which would otherwise wait for the biggest chunk to arrive and run.
    void import('./runtime-boot.ts').then(({ warmRuntime }) => warmRuntime()).catch(() => {});
    // The lab's files too: a preload that the workspace's own fetch of the same URL then takes over.
    const bundleUrl = root.dataset['bundleUrl'];
    if (bundleUrl) {
      const preload = Object.assign(document.createElement('link'), {
        rel: 'preload',
        as: 'fetch',
        crossOrigin: 'anonymous',
        href: bundleUrl,
      });
      document.head.append(preload);
    }
    // The editor is the workspace's biggest chunk, and the workspace asks for it only once it runs.
    // Not after a Run click: the workspace then holds it back until the preview shows.
    if (reaching?.kind !== 'run') void import('./editor.ts').catch(() => {});
    import('./workspace.ts')
      .then(({ mountWorkspace }) => mountWorkspace(root, () => intent))
      .then(() => {
        delete root.dataset['loading'];
        // The live file tabs don't track edits; a stale "edited" mark would mislead after Reset.
        for (const tab of root.querySelectorAll<HTMLElement>('[data-edited]')) {
          delete tab.dataset['edited'];
        }
        for (const type of events) root.removeEventListener(type, onEvent);
      })
      .catch((error: unknown) => {
        loading = false;
        delete root.dataset['loading'];
        if (status) {
          status.textContent = `The workspace could not load (${(error as Error).message}). Click Run to try again.`;
        }
      });
  };

  const onEvent = (event: Event) => {
    if (root.dataset['live'] === 'true') return;
    const next = intentFrom(event.target);
    if (event.type === 'click') {
      if (next) intent = next;
      if (next?.kind === 'open') showStaticFile(root, next.path);
    } else if (event.type === 'pointerdown' && (next?.kind === 'run' || next?.kind === 'check')) {
      // Pressing Run or Check is the intent already. The workspace may go live before the button
      // is released, and the layout it brings in can move the button from under the pointer: the
      // browser then fires no click at all, and the press would be lost.
      intent = next;
    }
    load(next);
  };
  const events = ['pointerdown', 'focusin', 'click', 'keydown'] as const;
  for (const type of events) root.addEventListener(type, onEvent);

  // A quick learner can click Run or Check before this script has run (module scripts wait for
  // the whole page to parse). The click left focus on the button, so honour it as the intent.
  const early = intentFrom(document.activeElement);
  if (early && root.contains(document.activeElement)) {
    intent = early;
    load(early);
  } else if (focusWasOn(root.dataset['sandbox'])) {
    intent = { kind: 'focus' };
    load(intent);
  }
}

for (const root of document.querySelectorAll<HTMLElement>('[data-sandbox]')) arm(root);
