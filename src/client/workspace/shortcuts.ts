/**
 * The lab's keyboard: Ctrl/Cmd+Enter checks, Ctrl/Cmd+Shift+Enter restarts the server, `?` lists
 * the shortcuts, and Esc then Tab leaves the editor for the toolbar (the next thing a learner who
 * just finished typing wants: Run or Check), not for whatever happens to follow it in the page.
 *
 * Tab passes through an editor the learner only tabbed into (see `passingThrough`).
 *
 * The listener sits on the lab in the capture phase, so it sees keys before the editor and the
 * terminal do. It claims only chords neither of them needs for editing, and never a browser key.
 */
import { button, h } from './dom.ts';

export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Ctrl+Enter (⌘+Enter on a Mac)', does: 'Check your code' },
  { keys: 'Ctrl+Shift+Enter (⌘+Shift+Enter)', does: 'Restart your server (or start it)' },
  { keys: 'Ctrl+S (⌘+S)', does: 'Save now and restart a running server' },
  { keys: 'Esc, then Tab', does: 'Leave the editor for the lab’s toolbar' },
  { keys: '?', does: 'Show this list (outside the editor and the terminal)' },
];

/** Typing targets, where `?` is a character and not a command. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return (
    target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !==
      null || target.closest('.cm-editor, .xterm') !== null
  );
}

export function installShortcuts(options: {
  root: HTMLElement;
  /** The editor's content element (Esc then Tab starts from here). */
  editor: HTMLElement;
  /** Where Esc then Tab lands. */
  toolbarStart: () => HTMLElement;
  check(): void;
  restart(): void;
}): void {
  const { root } = options;
  let escaped = false;
  /**
   * Tab indents in the editor, which would make it a wall for someone tabbing through the page.
   * So until the learner types or clicks in it, a Tab that brought focus in also takes it out.
   */
  let lastKeyWasTab = false;
  let passingThrough = false;
  document.addEventListener('keydown', (event) => (lastKeyWasTab = event.key === 'Tab'), {
    capture: true,
  });
  document.addEventListener('pointerdown', () => (lastKeyWasTab = false), { capture: true });
  options.editor.addEventListener('focusin', () => (passingThrough = lastKeyWasTab));
  options.editor.addEventListener('pointerdown', () => (passingThrough = false));

  root.addEventListener(
    'keydown',
    (event) => {
      const inEditor = options.editor.contains(event.target as Node);
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey) {
        event.preventDefault();
        event.stopPropagation();
        if (event.shiftKey) options.restart();
        else options.check();
        return;
      }
      if (event.key === 'Escape' && inEditor) {
        escaped = true;
        return;
      }
      if (event.key === 'Tab' && inEditor && escaped && !event.shiftKey) {
        event.preventDefault();
        event.stopPropagation();
        options.toolbarStart().focus();
      } else if (event.key === 'Tab' && inEditor && passingThrough) {
        // Not handled by the editor, so the browser moves focus on.
        event.stopPropagation();
      }
      if (event.key !== 'Shift') escaped = false;
      if (inEditor && event.key !== 'Tab' && event.key !== 'Shift') passingThrough = false;
    },
    { capture: true },
  );

  const list = h(
    'dl',
    { class: 'ws-shortcuts__list' },
    ...SHORTCUTS.flatMap(({ keys, does }) => [h('dt', {}, h('kbd', {}, keys)), h('dd', {}, does)]),
  );
  const close = button('Close', { class: 'ws-btn' });
  const dialog = h(
    'dialog',
    { class: 'ws-shortcuts', 'aria-labelledby': 'ws-shortcuts-title' },
    h('h2', { class: 'ws-shortcuts__title', id: 'ws-shortcuts-title' }, 'Keyboard shortcuts'),
    list,
    close,
  );
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  root.append(dialog);
  document.addEventListener('keydown', (event) => {
    if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || dialog.open) return;
    event.preventDefault();
    dialog.showModal();
  });
}
