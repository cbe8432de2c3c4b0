/**
 * A progress bar for a long wait: a line saying what is happening and a <progress> element. It
 * stays hidden for the first few hundred milliseconds, so a quick wait never flickers, and it is
 * not a live region: it updates silently while the caller's own status line announces the start
 * and the end once each. While it is shown, the region it describes is aria-busy.
 */
import { h } from './dom.ts';
import './progress.css';
import type { ProgressReading } from './wait-progress.ts';

/** Waits shorter than this show no progress at all. */
export const PROGRESS_GRACE_MS = 300;

export interface ProgressBar {
  readonly element: HTMLElement;
  /** Starts or updates the wait; the bar appears once the grace period has passed. */
  show(reading: ProgressReading): void;
  /** The wait is over. */
  hide(): void;
  /** The wait is over and its last reading stays in view (a summary), no longer busy. */
  settle(reading: ProgressReading): void;
  /** True from show() until hide(), grace period included. */
  readonly active: boolean;
}

export function createProgressBar(options: {
  /** The bar's accessible name ("Starting your server"); the reading is its value. */
  name: string;
  /** The region whose content the wait is about: aria-busy while it lasts. */
  busy: HTMLElement;
  className?: string;
  graceMs?: number;
}): ProgressBar {
  const label = h('span', { class: 'ws-progress__label' });
  const bar = h('progress', { class: 'ws-progress__bar', 'aria-label': options.name });
  const element = h(
    'div',
    { class: `ws-progress ${options.className ?? ''}`.trim(), hidden: true },
    label,
    bar,
  );
  let active = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const read = (reading: ProgressReading) => {
    label.textContent = reading.label;
    bar.max = reading.max;
    bar.value = reading.value;
    bar.setAttribute('aria-valuetext', reading.valueText);
  };

  return {
    element,
    get active() {
      return active;
    },
    show(reading) {
      read(reading);
      if (active) return;
      active = true;
      options.busy.setAttribute('aria-busy', 'true');
      timer = setTimeout(() => (element.hidden = false), options.graceMs ?? PROGRESS_GRACE_MS);
    },
    hide() {
      clearTimeout(timer);
      active = false;
      element.hidden = true;
      options.busy.removeAttribute('aria-busy');
    },
    settle(reading) {
      clearTimeout(timer);
      read(reading);
      active = false;
      element.hidden = false;
      options.busy.removeAttribute('aria-busy');
    },
  };
}
