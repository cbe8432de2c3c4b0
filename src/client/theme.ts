/**
 * Theme switching after first paint. The inline head script already applied the stored choice;
 * this wires the buttons, persists changes and follows the system while "system" is chosen.
 */
import { browserStorage } from './storage.ts';

const STORAGE_KEY = 'svs:theme';
type Preference = 'light' | 'dark' | 'system';

const systemDark = (): boolean => matchMedia('(prefers-color-scheme: dark)').matches;

function apply(pref: Preference): void {
  const root = document.documentElement;
  root.dataset['themePref'] = pref;
  root.dataset['theme'] = pref === 'dark' || (pref === 'system' && systemDark()) ? 'dark' : 'light';
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-value]')) {
    button.setAttribute('aria-pressed', String(button.dataset['themeValue'] === pref));
  }
}

function current(): Preference {
  const pref = document.documentElement.dataset['themePref'];
  return pref === 'light' || pref === 'dark' ? pref : 'system';
}

export function initThemeSwitcher(): void {
  apply(current());
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>(
      '[data-theme-value]',
    );
    const value = button?.dataset['themeValue'];
    if (value !== 'light' && value !== 'dark' && value !== 'system') return;
    // Where storage is blocked the choice still applies to this page.
    if (value === 'system') browserStorage().removeItem(STORAGE_KEY);
    else browserStorage().setItem(STORAGE_KEY, value);
    apply(value);
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (current() === 'system') apply('system');
  });
}
