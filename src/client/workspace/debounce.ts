/**
 * A trailing-edge debouncer with explicit flush and cancel. Used so a burst of keystrokes writes
 * and restarts the learner's server once, after they pause.
 */
export interface Debounced {
  /** (Re)starts the wait; the action runs `delayMs` after the last call. */
  schedule(): void;
  /** Runs the pending action now, if one is pending. */
  flush(): void;
  /** Drops the pending action. */
  cancel(): void;
  readonly pending: boolean;
}

export function debounce(action: () => void, delayMs: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const clear = (): boolean => {
    if (timer === null) return false;
    clearTimeout(timer);
    timer = null;
    return true;
  };
  return {
    schedule() {
      clear();
      timer = setTimeout(() => {
        timer = null;
        action();
      }, delayMs);
    },
    flush() {
      if (clear()) action();
    },
    cancel() {
      clear();
    },
    get pending() {
      return timer !== null;
    },
  };
}
