/**
 * The results of a Check run: one row per check with its status and message, "Show hint" on the
 * ones that did not pass, and a pointer to the next lesson once everything passes.
 */
import { button, h } from './dom.ts';
import { allPassed, type CheckRow, type CheckRunState, type RowStatus } from './check-run.ts';
import type { LabStep } from '../../sandbox/types.ts';
import { splitMessage } from './check-message.ts';

const statusText: Record<RowStatus, string> = {
  waiting: 'Running',
  pass: 'Passed',
  fail: 'Failed',
  error: 'Error',
  timeout: 'Timed out',
};
const statusIcon: Record<RowStatus, string> = {
  waiting: '…',
  pass: '✓',
  fail: '✗',
  error: '!',
  timeout: '⏱',
};

export interface CheckPanel {
  readonly element: HTMLElement;
  render(state: CheckRunState): void;
  /** The code changed since these results: say so until the next run. */
  markStale(): void;
  /** The first row that did not pass, if any. */
  firstFailure(): HTMLElement | null;
  /** Titles of the checks whose hint the learner opened (others may add to it: it shows open). */
  readonly openedHints: Set<string>;
}

function messageElement(message: string): HTMLElement {
  return h(
    'div',
    { class: 'ws-check__message' },
    ...splitMessage(message).map((part) =>
      part.kind === 'json'
        ? h('pre', { class: 'ws-check__json' }, part.text)
        : h('span', {}, part.text),
    ),
  );
}

/** Rows grouped by the lab's steps; checks no step names (none, in a valid lab) come last. */
export function groupRowsBySteps(
  rows: readonly CheckRow[],
  steps: readonly LabStep[] | null,
): { title: string | null; rows: { row: CheckRow; index: number }[] }[] {
  const indexed = rows.map((row, index) => ({ row, index }));
  if (!steps || steps.length === 0) return [{ title: null, rows: indexed }];
  const claimed = new Set(steps.flatMap((step) => step.checks));
  const groups = steps.map((step, n) => ({
    title: `Step ${n + 1} · ${step.title}`,
    rows: step.checks.flatMap((check) => indexed.filter((each) => each.row.title === check)),
  }));
  const rest = indexed.filter((each) => !claimed.has(each.row.title));
  if (rest.length > 0) groups.push({ title: 'Other checks', rows: rest });
  return groups.filter((group) => group.rows.length > 0);
}

export function createCheckPanel(options: {
  idBase: string;
  hints: Readonly<Record<string, string>>;
  next: { href: string; title: string } | null;
  steps: readonly LabStep[] | null;
}): CheckPanel {
  const list = h('div', { class: 'ws-checks__list' });
  const summary = h('p', { class: 'ws-checks__summary', role: 'status' });
  const done = h('div', { class: 'ws-checks__done', hidden: true });
  const stale = h(
    'p',
    { class: 'ws-checks__stale', hidden: true },
    'Your code changed since this check. Press Check to test it again.',
  );
  const element = h(
    'section',
    { class: 'ws-checks', 'aria-labelledby': `${options.idBase}-checks-title`, hidden: true },
    h('h3', { class: 'ws-checks__title', id: `${options.idBase}-checks-title` }, 'Checks'),
    summary,
    stale,
    list,
    done,
  );
  /** Hints the learner opened stay open when the same check fails again. */
  const openHints = new Set<string>();

  const row = (title: string, status: RowStatus, message: string, index: number) => {
    const hint = options.hints[title];
    const li = h(
      'li',
      { class: 'ws-check', 'data-status': status },
      h('span', { class: 'ws-check__icon', 'aria-hidden': 'true' }, statusIcon[status]),
      h('span', { class: 'ws-check__status' }, statusText[status]),
      h('span', { class: 'ws-check__title' }, title),
    );
    if (message && status !== 'pass') li.append(messageElement(message));
    if (hint && status !== 'pass' && status !== 'waiting') {
      const hintId = `${options.idBase}-hint-${index}`;
      const shown = openHints.has(title);
      const text = h('p', { class: 'ws-check__hint', id: hintId, hidden: !shown }, hint);
      const toggle = button(shown ? 'Hide hint' : 'Show hint', {
        class: 'ws-btn ws-btn--small ws-btn--quiet',
        'aria-expanded': String(shown),
        'aria-controls': hintId,
      });
      toggle.addEventListener('click', () => {
        const open = text.hidden;
        text.hidden = !open;
        toggle.setAttribute('aria-expanded', String(open));
        toggle.textContent = open ? 'Hide hint' : 'Show hint';
        if (open) openHints.add(title);
        else openHints.delete(title);
      });
      li.append(toggle, text);
    }
    return li;
  };

  return {
    element,
    openedHints: openHints,
    markStale() {
      if (element.hidden || element.dataset['stale'] === 'true') return;
      element.dataset['stale'] = 'true';
      stale.hidden = false;
    },
    firstFailure() {
      return list.querySelector<HTMLElement>(
        '.ws-check:is([data-status="fail"], [data-status="error"], [data-status="timeout"])',
      );
    },
    render(state) {
      element.hidden = false;
      element.dataset['stale'] = 'false';
      stale.hidden = true;
      list.replaceChildren(
        ...groupRowsBySteps(state.rows, options.steps).map((group, n) => {
          const items = h(
            'ol',
            { class: 'ws-checks__rows' },
            ...group.rows.map(({ row: r, index }) => row(r.title, r.status, r.message, index)),
          );
          if (group.title === null) return items;
          const passing = group.rows.filter(({ row: r }) => r.status === 'pass').length;
          const headingId = `${options.idBase}-step-${n}`;
          return h(
            'section',
            {
              class: 'ws-checks__step',
              'aria-labelledby': headingId,
              'data-complete': String(passing === group.rows.length),
            },
            h(
              'h4',
              { class: 'ws-checks__steptitle', id: headingId },
              `${group.title} · ${passing} of ${group.rows.length} pass`,
            ),
            items,
          );
        }),
      );
      const passed = state.rows.filter((r) => r.status === 'pass').length;
      if (state.phase === 'running') {
        // Set once per run: rewriting a live region with the same words can re-announce them.
        if (summary.textContent !== 'Running the checks…')
          summary.textContent = 'Running the checks…';
      } else {
        summary.textContent =
          (state.rows.length > 0 ? `${passed} of ${state.rows.length} checks pass.` : '') +
          (state.note ? ` ${state.note}` : '');
      }
      const complete = allPassed(state);
      done.hidden = !complete;
      if (complete) {
        done.replaceChildren(
          h('p', {}, h('strong', {}, 'Every check passes: this lesson is complete.')),
          options.next
            ? h(
                'p',
                {},
                h(
                  'a',
                  { href: options.next.href, class: 'ws-checks__next' },
                  `Next lesson: ${options.next.title} →`,
                ),
              )
            : h('p', {}, 'That was the last lab. Well done.'),
        );
      }
    },
  };
}
