/**
 * The kit's load generator while it runs (its `load` event lines, from the Run process or from a
 * check): a progress bar through its time or request count with live requests/s. The start and
 * the final summary are announced once each in a polite live region; the ticks in between only
 * move the bar.
 */
import type { LoadEvent } from '../../sandbox/check-results.ts';
import { h } from './dom.ts';
import { createProgressBar } from './progress-bar.ts';
import { describeLoad } from './wait-progress.ts';

export interface LoadProgress {
  readonly element: HTMLElement;
  take(event: LoadEvent): void;
  /** The process that ran the load ended: a bar left mid-way would read as still running. */
  reset(): void;
}

export function createLoadProgress(): LoadProgress {
  const announce = h('p', { class: 'visually-hidden', role: 'status' });
  const element = h('div', { class: 'ws-load' });
  const bar = createProgressBar({
    name: 'Load generator',
    busy: element,
    className: 'ws-progress--load',
  });
  element.append(bar.element, announce);
  let running = false;

  return {
    element,
    take(event) {
      const reading = describeLoad(event);
      if (event.state === 'running') {
        if (!running) announce.textContent = 'The load generator is running.';
        running = true;
        bar.show(reading);
        return;
      }
      running = false;
      // The summary stays on screen until the next load, and is read out once.
      bar.settle(reading);
      announce.textContent = reading.label;
    },
    reset() {
      if (!running) return;
      running = false;
      bar.hide();
    },
  };
}
