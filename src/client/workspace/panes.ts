/**
 * Resizable panes on wide screens, tabs on narrow ones. The switch itself is a CSS container query
 * on the workspace (it depends on the space the lesson gives it, not the window); this file adds
 * the draggable, keyboard-operable separators and the tab behaviour.
 */
import { button, h } from './dom.ts';
import { rovingTabs } from './roving-tabs.ts';

export interface SplitterOptions {
  /** Element whose CSS variable holds the size. */
  host: HTMLElement;
  variable: string;
  orientation: 'horizontal' | 'vertical';
  /** Accessible name, e.g. "Resize the editor". */
  label: string;
  /** Size of the first pane in percent of `measure()`. */
  initial: number;
  min: number;
  max: number;
  /** The length the percentage is of (the pane group's width or height). */
  measure(): number;
  /** CSS value for a percentage; defaults to `N%`. */
  format?(percent: number): string;
  /** Told the new size after the learner moved the separator (to keep it across reloads). */
  onChange?(percent: number): void;
}

export function createSplitter(options: SplitterOptions): HTMLElement {
  let value = options.initial;
  const handle = h('div', {
    class: `ws-split ws-split--${options.orientation}`,
    role: 'separator',
    tabindex: 0,
    'aria-label': options.label,
    // A vertical line separates panes side by side; aria-orientation names the line.
    'aria-orientation': options.orientation === 'vertical' ? 'vertical' : 'horizontal',
    'aria-valuemin': options.min,
    'aria-valuemax': options.max,
  });
  const set = (next: number) => {
    value = Math.min(options.max, Math.max(options.min, Math.round(next)));
    options.host.style.setProperty(
      options.variable,
      options.format ? options.format(value) : `${value}%`,
    );
    handle.setAttribute('aria-valuenow', String(value));
  };
  set(value);

  handle.addEventListener('pointerdown', (down) => {
    down.preventDefault();
    handle.setPointerCapture(down.pointerId);
    const start = options.orientation === 'vertical' ? down.clientX : down.clientY;
    const startValue = value;
    const total = Math.max(1, options.measure());
    const move = (event: PointerEvent) => {
      const now = options.orientation === 'vertical' ? event.clientX : event.clientY;
      set(startValue + ((now - start) / total) * 100);
    };
    const up = () => {
      options.onChange?.(value);
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });
  handle.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 10 : 3;
    const back = options.orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const forward = options.orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    if (event.key === back) set(value - step);
    else if (event.key === forward) set(value + step);
    else if (event.key === 'Home') set(options.min);
    else if (event.key === 'End') set(options.max);
    else return;
    event.preventDefault();
    options.onChange?.(value);
  });
  return handle;
}

export interface PaneTab {
  id: string;
  label: string;
  panel: HTMLElement;
}

/** The phone layout's tab bar; on wide screens CSS hides it and shows every panel. */
export function createPaneTabs(host: HTMLElement, idBase: string, tabs: PaneTab[]): HTMLElement {
  const list = h('div', { class: 'ws-panetabs', role: 'tablist', 'aria-label': 'Workspace panes' });
  const buttons = tabs.map((tab) => {
    const b = button(tab.label, {
      class: 'ws-panetab',
      role: 'tab',
      id: `${idBase}-tab-${tab.id}`,
      'aria-controls': `${idBase}-pane-${tab.id}`,
      'data-pane': tab.id,
    });
    tab.panel.id = `${idBase}-pane-${tab.id}`;
    tab.panel.setAttribute('role', 'tabpanel');
    tab.panel.setAttribute('aria-labelledby', b.id);
    tab.panel.dataset['paneId'] = tab.id;
    list.append(b);
    return b;
  });
  const roving = rovingTabs(list, {
    tabs: () => buttons,
    activate: (b) => {
      host.dataset['pane'] = b.dataset['pane'] ?? '';
    },
  });
  const select = (id: string) => {
    const b = buttons.find((each) => each.dataset['pane'] === id);
    if (!b) return;
    roving.select(b);
    host.dataset['pane'] = id;
    // On a phone the strip scrolls sideways: keep the chosen tab in sight without moving the page.
    const tab = b.getBoundingClientRect();
    const strip = list.getBoundingClientRect();
    if (tab.right > strip.right) list.scrollLeft += tab.right - strip.right;
    else if (tab.left < strip.left) list.scrollLeft -= strip.left - tab.left;
  };
  if (tabs[0]) select(tabs[0].id);
  return Object.assign(list, { selectPane: select });
}

export function selectPane(tabs: HTMLElement, id: string): void {
  (tabs as HTMLElement & { selectPane?: (id: string) => void }).selectPane?.(id);
}
