/**
 * Escape hides a glossary popover until the pointer or focus leaves its term, so a definition
 * shown on hover or focus can always be dismissed without moving (WCAG 1.4.13).
 */
export function initGlossaryTips(): void {
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const term of document.querySelectorAll('.term:hover, .term:focus-within')) {
      term.classList.add('term--dismissed');
    }
  });
  const reset = (event: Event): void => {
    const term = (event.target as Element | null)?.closest?.('.term');
    term?.classList.remove('term--dismissed');
  };
  document.addEventListener('mouseout', reset);
  document.addEventListener('focusout', reset);
}
