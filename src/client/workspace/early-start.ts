/**
 * A Run-first load: when the click that brought the workspace in was Run, the server starts before
 * the editor (CodeMirror) and terminal (xterm.js) are built. They are most of the workspace's
 * weight and running them holds the main thread, so they wait until the preview shows, or the
 * start fails, or EARLY_START_CAP_MS passes, whichever is first.
 */

/** How long a Run-first load holds the editor and terminal back while the server starts. */
export const EARLY_START_CAP_MS = 1000;

export interface HeavyPartsGate {
  /** Resolves once the editor and terminal may load. */
  ready: Promise<void>;
  release(): void;
}

/** Open at once, unless the first touch was Run: then it opens on `release()`. */
export function heavyPartsGate(runFirst: boolean): HeavyPartsGate {
  if (!runFirst) return { ready: Promise.resolve(), release: () => {} };
  let release = () => {};
  const ready = new Promise<void>((resolve) => (release = resolve));
  return { ready, release: () => release() };
}
