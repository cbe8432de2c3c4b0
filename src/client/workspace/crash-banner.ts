/**
 * The banner shown when the learner's server crashes on start: the error's kind, file and line
 * ("SyntaxError in server.js:15"), and a button that opens the file at that line.
 */
import type { CrashLocation } from './crash-location.ts';
import { button, h } from './dom.ts';

export interface CrashBanner {
  readonly element: HTMLElement;
  show(location: CrashLocation | null): void;
}

export function createCrashBanner(goTo: (path: string, line: number) => void): CrashBanner {
  const text = h('p', { class: 'ws-crash__text' });
  const go = button('Show the line', { class: 'ws-btn ws-btn--small' });
  const element = h('div', { class: 'ws-crash', role: 'alert', hidden: true }, text, go);
  let current: CrashLocation | null = null;
  go.addEventListener('click', () => {
    if (current) goTo(current.path, current.line);
  });
  return {
    element,
    show(location) {
      current = location;
      element.hidden = location === null;
      if (location) {
        text.textContent = `${location.kind} in ${location.path}:${location.line}. Fix it and your next edit restarts the server.`;
        go.textContent = `Show line ${location.line}`;
      }
    },
  };
}
