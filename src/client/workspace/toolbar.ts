/**
 * The lab's toolbar: Run and Check (already in the static first view) plus Stop, Restart, Show
 * solution, Reset and Undo, and the status line under the panes. Buttons that cannot act right now
 * are aria-disabled rather than disabled, so focus stays on a button whose action just ended.
 */
import { button, h } from './dom.ts';

export interface Toolbar {
  readonly run: HTMLButtonElement;
  readonly check: HTMLButtonElement;
  readonly stop: HTMLButtonElement;
  readonly restart: HTMLButtonElement;
  readonly solution: HTMLButtonElement;
  readonly reset: HTMLButtonElement;
  readonly undo: HTMLButtonElement;
  /** One polite line about what the lab is doing ("Your server is running."). */
  readonly status: HTMLElement;
  /**
   * Beside Check: "Checking… 3 of 6", then "4 of 6 pass". Not a live region: the check panel
   * announces the result once, and a count that ticks would be read out at every step.
   */
  readonly checkSummary: HTMLElement;
  /** Run is usable while stopped; Stop and Restart while running. */
  setRunning(running: boolean): void;
  /** Calls `handler` on click, only while the button is usable. */
  onPress(target: HTMLButtonElement, handler: () => void): void;
}

export function setUsable(target: HTMLButtonElement, on: boolean): void {
  target.setAttribute('aria-disabled', String(!on));
}

export function isUsable(target: HTMLButtonElement): boolean {
  return target.getAttribute('aria-disabled') !== 'true';
}

/** Builds the toolbar around the static Run and Check buttons; null if the markup is not there. */
export function createToolbar(root: HTMLElement): Toolbar | null {
  const run = root.querySelector<HTMLButtonElement>('[data-action="run"]');
  const check = root.querySelector<HTMLButtonElement>('[data-action="check"]');
  if (!run || !check) return null;
  const stop = button('Stop', { class: 'ws-btn', 'data-action': 'stop' });
  const restart = button('Restart', { class: 'ws-btn', 'data-action': 'restart' });
  const solution = button('Show solution', {
    class: 'ws-btn ws-btn--quiet',
    'data-action': 'solution',
    'aria-expanded': 'false',
  });
  const reset = button('Reset', { class: 'ws-btn ws-btn--quiet', 'data-action': 'reset' });
  const undo = button('Undo', {
    class: 'ws-btn ws-btn--quiet',
    'data-action': 'undo',
    hidden: true,
  });
  run.after(stop, restart);
  const checkSummary = h('span', { class: 'ws-check-summary' });
  check.after(checkSummary, solution, reset, undo);
  const status = h('p', { class: 'ws-status', role: 'status' });

  const toolbar: Toolbar = {
    run,
    check,
    stop,
    restart,
    solution,
    reset,
    undo,
    status,
    checkSummary,
    setRunning(running) {
      setUsable(run, !running);
      setUsable(stop, running);
      setUsable(restart, running);
    },
    onPress(target, handler) {
      target.addEventListener('click', () => {
        if (isUsable(target)) handler();
      });
    },
  };
  toolbar.setRunning(false);
  return toolbar;
}
