/**
 * xterm.js is a large download of its own; loading it in parallel with the editor lets the learner
 * type before the terminal arrives. Output written meanwhile is kept and replayed, in order.
 */
import type { TerminalPane } from './terminal.ts';

/** `after`: hold the download until then, so it does not slow down more urgent work. */
export function createLazyTerminal(
  host: HTMLElement,
  onLine: (line: string) => void,
  after: Promise<unknown> = Promise.resolve(),
): Pick<TerminalPane, 'write' | 'note'> & { ready: Promise<void> } {
  const queued: { kind: 'write' | 'note'; text: string }[] = [];
  let pane: TerminalPane | null = null;
  const ready = after
    .then(() => import('./terminal.ts'))
    .then(({ createTerminal }) => {
      pane = createTerminal(host, onLine);
      for (const item of queued.splice(0)) pane[item.kind](item.text);
    });
  return {
    write(text) {
      if (pane) pane.write(text);
      else queued.push({ kind: 'write', text });
    },
    note(text) {
      if (pane) pane.note(text);
      else queued.push({ kind: 'note', text });
    },
    ready,
  };
}
