/**
 * The phone menu: the sidebar <nav> slides in as a panel. Opening moves focus to the current
 * lesson (or the first link); Escape, the toggle, or a click outside closes it and returns focus
 * to the toggle, so keyboard and screen-reader users never get lost.
 */
export function initMenu(): void {
  const toggle = document.querySelector<HTMLButtonElement>('[data-menu-toggle]');
  const nav = document.getElementById('course-nav');
  if (!toggle || !nav) return;
  const root = document.documentElement;

  const isOpen = (): boolean => toggle.getAttribute('aria-expanded') === 'true';

  function open(): void {
    toggle!.setAttribute('aria-expanded', 'true');
    root.dataset['menuOpen'] = 'true';
    const target =
      nav!.querySelector<HTMLElement>('[aria-current="page"]') ??
      nav!.querySelector<HTMLElement>('a');
    target?.focus();
  }

  function close(returnFocus: boolean): void {
    toggle!.setAttribute('aria-expanded', 'false');
    delete root.dataset['menuOpen'];
    if (returnFocus) toggle!.focus();
  }

  toggle.addEventListener('click', () => (isOpen() ? close(true) : open()));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen()) {
      event.preventDefault();
      close(true);
    }
  });
  document.addEventListener('click', (event) => {
    const target = event.target as Node;
    if (isOpen() && !nav.contains(target) && !toggle.contains(target)) close(false);
  });
  // Tabbing out of the panel closes it, so focus never sits behind an open overlay.
  nav.addEventListener('focusout', (event) => {
    const next = event.relatedTarget as Node | null;
    if (isOpen() && next !== null && !nav.contains(next) && next !== toggle) close(false);
  });
  // Growing the window past the phone layout leaves no stale open state behind.
  matchMedia('(min-width: 60.0625rem)').addEventListener('change', (e) => {
    if (e.matches && isOpen()) close(false);
  });
}
