/**
 * Arrow-key tabs (the WAI-ARIA "tabs" pattern): one tab in the Tab order at a time, Left/Right
 * (and Home/End) move between tabs and activate the one they land on. File tabs, the phone pane
 * tabs and the solution view's file tabs all behave this way, so they share this one helper.
 */

export interface RovingTabs {
  /** Marks `tab` selected (aria-selected, tabindex 0) and every other tab unselected. */
  select(tab: HTMLElement): void;
}

export function rovingTabs(
  list: HTMLElement,
  options: {
    /** The tabs in order; read on every key press, so tabs can change. */
    tabs(): HTMLElement[];
    /** Called when the learner moves to `tab` (by key or click); `select` has already run. */
    activate(tab: HTMLElement): void;
  },
): RovingTabs {
  const select = (tab: HTMLElement) => {
    for (const each of options.tabs()) {
      const selected = each === tab;
      each.setAttribute('aria-selected', String(selected));
      each.tabIndex = selected ? 0 : -1;
    }
  };
  list.addEventListener('keydown', (event) => {
    const all = options.tabs();
    if (all.length === 0) return;
    const from = all.findIndex((tab) => tab === document.activeElement);
    const index =
      from !== -1 ? from : all.findIndex((tab) => tab.getAttribute('aria-selected') === 'true');
    let next: number;
    if (event.key === 'ArrowRight') next = (index + 1) % all.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + all.length) % all.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = all.length - 1;
    else return;
    const tab = all[next];
    if (!tab) return;
    event.preventDefault();
    select(tab);
    options.activate(tab);
    tab.focus();
  });
  list.addEventListener('click', (event) => {
    const tab = options.tabs().find((each) => each.contains(event.target as Node));
    if (!tab) return;
    select(tab);
    options.activate(tab);
  });
  return { select };
}
