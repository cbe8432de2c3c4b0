/**
 * Before "Show solution" opens the answer, it offers the hints the learner has not read: a hint
 * often is all they need, and a lab finished with the solution's help is marked as such. The
 * learner can read the hints one by one here, show the solution anyway, or go back to their code.
 */
import { button, h } from './dom.ts';
import './solution-gate.css';

/** Hints worth offering: for checks that did not pass last time, not yet opened, in lab order. */
export function unopenedHints(
  hints: Readonly<Record<string, string>>,
  passed: readonly string[],
  opened: ReadonlySet<string>,
): string[] {
  return Object.keys(hints).filter((title) => !passed.includes(title) && !opened.has(title));
}

/** `readHere`: the learner already read some hints in this offer. */
export function nudgeText(unopened: number, readHere: boolean): string {
  const hints = unopened === 1 ? '1 hint' : `${unopened} hints`;
  if (readHere) return `${unopened === 1 ? '1 more hint' : `${unopened} more hints`} left.`;
  return `You haven't opened ${hints} yet. ${unopened === 1 ? 'It' : 'The first'} may be all you need.`;
}

export interface SolutionGate {
  readonly element: HTMLElement;
  /**
   * Shows the gate when hints are left unread and returns true; `proceed` runs if the learner
   * chooses the solution anyway. Returns false (nothing shown) when every hint was read.
   */
  ask(proceed: () => void): boolean;
  /** Hides the gate if it is open; true if it was. */
  close(): boolean;
}

export function createSolutionGate(options: {
  idBase: string;
  hints: Readonly<Record<string, string>>;
  /** Titles of the checks that passed in the latest run. */
  passed(): readonly string[];
  /** Hints the learner opened (the check panel's set: a hint read here shows as open there). */
  opened: Set<string>;
  /** Where focus goes when the learner backs out. */
  returnFocus(): void;
}): SolutionGate {
  const textId = `${options.idBase}-solution-gate`;
  const text = h('p', { class: 'ws-solution-gate__text', id: textId });
  const read = h('div', { class: 'ws-solution-gate__hints' });
  const next = button('Open the first hint', { class: 'ws-btn ws-btn--primary' });
  const anyway = button('Show the solution anyway', { class: 'ws-btn' });
  const back = button('Back to my code', { class: 'ws-btn ws-btn--quiet' });
  const element = h(
    'section',
    { class: 'ws-solution-gate', 'aria-labelledby': textId, hidden: true },
    text,
    read,
    h('div', { class: 'ws-solution-gate__actions' }, next, anyway, back),
  );
  let proceed: (() => void) | null = null;
  const left = () => unopenedHints(options.hints, options.passed(), options.opened);

  const update = () => {
    const count = left().length;
    const readHere = read.childElementCount > 0;
    text.textContent =
      count > 0
        ? nudgeText(count, readHere)
        : 'You have read every hint. The solution is still here.';
    next.hidden = count === 0;
    next.textContent = readHere ? 'Open the next hint' : 'Open the first hint';
  };

  const close = () => {
    if (element.hidden) return false;
    element.hidden = true;
    proceed = null;
    return true;
  };

  next.addEventListener('click', () => {
    const title = left()[0];
    if (title === undefined) return;
    options.opened.add(title);
    const hint = h(
      'p',
      { class: 'ws-check__hint', tabindex: '-1' },
      h('strong', {}, `Hint for “${title}”: `),
      options.hints[title] ?? '',
    );
    read.append(hint);
    update();
    hint.focus();
  });
  anyway.addEventListener('click', () => {
    const go = proceed;
    close();
    go?.();
  });
  back.addEventListener('click', () => {
    close();
    options.returnFocus();
  });
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    close();
    options.returnFocus();
  });

  return {
    element,
    ask(go) {
      if (left().length === 0) return false;
      proceed = go;
      read.replaceChildren();
      update();
      element.hidden = false;
      next.focus();
      return true;
    },
    close,
  };
}
