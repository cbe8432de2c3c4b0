/**
 * The first-view half of search: a button and two shortcuts (`/`, Ctrl/Cmd+K) that load the
 * dialog on demand. Pagefind's script and index are fetched only then.
 */
function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('.cm-editor, .xterm') !== null
  );
}

let loading: Promise<{ openSearch: (opener: HTMLElement | null) => void }> | null = null;

function open(opener: HTMLElement | null): void {
  loading ??= import('./search-dialog.ts');
  void loading
    .then((m) => m.openSearch(opener))
    .catch(() => {
      loading = null;
      // The dialog's chunk did not load (offline build missing, or a network blip): the glossary
      // and the outline still lead everywhere search would.
      window.location.assign('/glossary/');
    });
}

export function initSearch(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-search-open]');
  button?.addEventListener('click', () => open(button));
  document.addEventListener('keydown', (event) => {
    const isSlash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey;
    const isCtrlK = event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey);
    if (!isSlash && !isCtrlK) return;
    if (isSlash && typingInto(event.target)) return;
    if (document.querySelector('dialog.search[open]')) return;
    event.preventDefault();
    open(button);
  });
}
