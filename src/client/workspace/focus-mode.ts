/**
 * Focus mode: on wide screens the lab fills the window. The lesson's steps for the lab run down the
 * left, the editor fills the middle, and the preview sits on the right above tabs for the checks,
 * the terminal and the live traffic. Esc (outside the editor and the terminal) or "Back to lesson"
 * returns to the exact place in the lesson.
 *
 * The layout is one CSS grid on the lab (focus-mode.css): the panes keep their places in the DOM and
 * only change where they are drawn. Above all, the preview's iframe is never moved, because moving
 * an iframe reloads it and the learner would lose what the page was showing.
 */
import type { KeyValueStorage } from '../../utils/progress.ts';
import { button, h } from './dom.ts';
import {
  FOCUS_MIN_WIDTH,
  readFocusState,
  SIDE_TABS,
  SIZE_LIMITS,
  writeFocusState,
  type SideTab,
} from './focus-state.ts';
import { borrowLabIntro, type BorrowedSteps } from './lab-steps.ts';
import { createSplitter } from './panes.ts';
import { rovingTabs } from './roving-tabs.ts';

/** The media query for a window wide enough for steps, editor and panes side by side. */
const WIDE = `(min-width: ${FOCUS_MIN_WIDTH}px)`;

export interface FocusMode {
  /** The "Focus" button for the toolbar. */
  readonly toggle: HTMLButtonElement;
  readonly isOn: () => boolean;
  enter(): void;
  /** What Run does on a wide screen, unless the learner turned it off. */
  enterOnRun(): void;
  exit(): void;
  /** Opens a side tab (the checks, when a Check starts). */
  showTab(tab: SideTab): void;
  /** True when the stored state says this lab was in focus mode at the last visit. */
  readonly wasOn: boolean;
}

const TAB_LABELS: Record<SideTab, string> = {
  checks: 'Checks',
  terminal: 'Terminal',
  traffic: 'Traffic',
};

export function createFocusMode(options: {
  root: HTMLElement;
  labId: string;
  idBase: string;
  storage: KeyValueStorage;
  /** Where the side tabs' panels are, by tab; traffic is null for single-instance labs. */
  panels: Record<SideTab, HTMLElement | null>;
  /** Where the Back control goes (the start of the lab's bar). */
  bar: HTMLElement;
  /** The static first view's Focus button, if the page has one. */
  toggle: HTMLButtonElement | null;
}): FocusMode {
  const { root, storage } = options;
  const stored = readFocusState(storage);
  const tabs = SIDE_TABS.filter((tab) => options.panels[tab] !== null);
  let tab: SideTab = tabs.includes(stored.tab) ? stored.tab : 'checks';
  let on = false;
  let scrollBefore = 0;
  let borrowed: BorrowedSteps | null = null;
  let madeInert: Element[] = [];
  const wide = globalThis.matchMedia?.(WIDE);

  const toggle =
    options.toggle ??
    button('Focus', {
      class: 'ws-btn ws-btn--quiet ws-focus-toggle',
      'data-action': 'focus',
      title: 'Fill the window with this lab (Esc returns to the lesson)',
    });
  const back = button('← Back to lesson', {
    class: 'ws-btn ws-focus-back',
    'data-action': 'unfocus',
  });
  const openOnRun = h('input', { type: 'checkbox', id: `${options.idBase}-focus-on-run` });
  openOnRun.checked = stored.openOnRun;
  const openOnRunLabel = h(
    'label',
    { class: 'ws-focus-onrun', for: openOnRun.id },
    openOnRun,
    ' Open on Run',
  );
  openOnRun.addEventListener('change', () =>
    writeFocusState(storage, { openOnRun: openOnRun.checked }),
  );

  const stepsColumn = h('aside', {
    class: 'ws-focus-steps',
    'aria-label': 'The lesson’s steps for this lab',
    tabindex: 0,
  });
  const tabList = h('div', {
    class: 'ws-focus-tabs',
    role: 'tablist',
    'aria-label': 'Checks, terminal and traffic',
  });
  const tabButtons = tabs.map((each) => {
    const panel = options.panels[each]!;
    panel.id ||= `${options.idBase}-focus-${each}`;
    return button(TAB_LABELS[each], {
      class: 'ws-tab ws-focus-tab',
      role: 'tab',
      id: `${options.idBase}-focus-tab-${each}`,
      'aria-controls': panel.id,
      'data-focus-tab': each,
    });
  });
  tabList.append(...tabButtons);
  const roving = rovingTabs(tabList, {
    tabs: () => tabButtons,
    activate: (b) => showTab(b.dataset['focusTab'] as SideTab),
  });

  const splitters = [
    createSplitter({
      host: root,
      variable: '--ws-focus-steps',
      orientation: 'vertical',
      label: 'Resize the steps column',
      initial: stored.steps,
      ...SIZE_LIMITS.steps,
      measure: () => root.clientWidth,
      onChange: (steps) => writeFocusState(storage, { steps }),
    }),
    createSplitter({
      host: root,
      variable: '--ws-focus-side',
      orientation: 'vertical',
      label: 'Resize the editor and the preview column',
      initial: 100 - stored.side,
      min: 100 - SIZE_LIMITS.side.max,
      max: 100 - SIZE_LIMITS.side.min,
      measure: () => root.clientWidth,
      // The separator's value is where it sits: the side column is what is right of it.
      format: (left) => `${100 - left}%`,
      onChange: (left) => writeFocusState(storage, { side: 100 - left }),
    }),
    createSplitter({
      host: root,
      variable: '--ws-focus-preview',
      orientation: 'horizontal',
      label: 'Resize the preview',
      initial: stored.preview,
      ...SIZE_LIMITS.preview,
      measure: () => root.clientHeight,
      onChange: (preview) => writeFocusState(storage, { preview }),
    }),
  ];
  splitters.forEach((splitter, n) =>
    splitter.classList.add(`ws-focus-split`, `ws-focus-split--${n + 1}`),
  );
  const extras = [stepsColumn, ...splitters, tabList];

  function showTab(next: SideTab) {
    if (!tabs.includes(next)) return;
    tab = next;
    root.dataset['focusTab'] = next;
    const selected = tabButtons.find((b) => b.dataset['focusTab'] === next);
    if (selected) roving.select(selected);
    if (on) writeFocusState(storage, { tab: next });
  }

  /** Everything outside the lab leaves the Tab order and the accessibility tree while it fills the window. */
  function setOutsideInert(inert: boolean) {
    if (!inert) {
      for (const element of madeInert) element.removeAttribute('inert');
      madeInert = [];
      return;
    }
    for (let node: Element = root; node.parentElement; node = node.parentElement) {
      for (const sibling of node.parentElement.children) {
        if (sibling === node || sibling.hasAttribute('inert') || sibling.tagName === 'SCRIPT')
          continue;
        sibling.setAttribute('inert', '');
        madeInert.push(sibling);
      }
    }
  }

  function enter() {
    if (on || (wide && !wide.matches)) return;
    on = true;
    scrollBefore = window.scrollY;
    stepsColumn.replaceChildren(h('p', { class: 'ws-focus-steps__kicker' }, 'Lesson'));
    borrowed = borrowLabIntro(root, stepsColumn);
    if (borrowed.nodes.length === 0) {
      stepsColumn.append(h('p', {}, 'This lab’s instructions are in the lesson above it.'));
    }
    options.bar.prepend(back);
    toggle.after(openOnRunLabel);
    root.append(...extras);
    root.dataset['focus'] = 'true';
    showTab(tab);
    document.documentElement.classList.add('ws-focus-open');
    setOutsideInert(true);
    writeFocusState(storage, { lab: options.labId });
  }

  function exit() {
    if (!on) return;
    on = false;
    const hadFocus = root.contains(document.activeElement);
    setOutsideInert(false);
    delete root.dataset['focus'];
    document.documentElement.classList.remove('ws-focus-open');
    for (const extra of [...extras, back, openOnRunLabel]) extra.remove();
    borrowed?.giveBack();
    borrowed = null;
    window.scrollTo({ top: scrollBefore, behavior: 'instant' });
    writeFocusState(storage, { lab: null });
    if (hadFocus) toggle.focus({ preventScroll: true });
  }

  toggle.addEventListener('click', () => (on ? exit() : enter()));
  back.addEventListener('click', exit);
  root.addEventListener('keydown', (event) => {
    if (!on || event.key !== 'Escape' || event.defaultPrevented) return;
    const target = event.target as Element | null;
    // Esc belongs to the editor (its Tab-focus mode), the terminal's program and open dialogs.
    if (target?.closest('.cm-editor, .xterm, dialog')) return;
    exit();
  });
  // Narrowing the window drops back to the stacked lab; nothing inside the lab is rebuilt.
  wide?.addEventListener('change', () => {
    if (!wide.matches) exit();
  });

  return {
    toggle,
    isOn: () => on,
    enter,
    enterOnRun() {
      if (openOnRun.checked) enter();
    },
    exit,
    showTab,
    wasOn: stored.lab === options.labId,
  };
}
