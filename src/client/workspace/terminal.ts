/**
 * The terminal pane: xterm.js showing the processes' output, with typed lines sent to the running
 * process's stdin. Colours are read from the site's CSS variables and re-read when the theme flips.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { createLineInput } from './line-input.ts';

export interface TerminalPane {
  write(text: string): void;
  /** A line from the workspace itself (dimmed), e.g. "$ node server.js". */
  note(text: string): void;
  clear(): void;
  fit(): void;
  destroy(): void;
}

function themeFrom(el: HTMLElement): ITheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--c-surface', '#ffffff'),
    foreground: v('--c-fg', '#181b25'),
    cursor: v('--c-fg', '#181b25'),
    selectionBackground: v('--ws-selection', '#c7d2fe'),
    red: v('--c-bad', '#b42318'),
    green: v('--c-ok', '#137a43'),
    brightBlack: v('--c-muted', '#5a6072'),
  };
}

export function createTerminal(parent: HTMLElement, onLine: (line: string) => void): TerminalPane {
  const term = new Terminal({
    convertEol: true,
    cursorBlink: false,
    fontFamily: getComputedStyle(parent).getPropertyValue('--font-mono').trim() || 'monospace',
    fontSize: 13,
    scrollback: 2000,
    screenReaderMode: false,
    theme: themeFrom(parent),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(parent);
  // xterm's textarea is its keyboard entry point; give it a name assistive tech can read.
  term.textarea?.setAttribute('aria-label', 'Terminal input: type a line and press Enter');

  // The terminal takes lines, not keystrokes, so Tab has no job in it: let the browser move focus
  // (returning false makes xterm leave the key alone). Otherwise keyboard users are trapped here.
  term.attachCustomKeyEventHandler((event) => event.key !== 'Tab');

  const input = createLineInput();
  const typing = term.onData((data) => {
    const { echo, send } = input.feed(data);
    if (echo) term.write(echo);
    for (const line of send) onLine(line);
  });

  const safeFit = () => {
    // Fitting a hidden pane (a closed phone tab) would collapse it to zero columns.
    if (parent.offsetWidth > 0 && parent.offsetHeight > 0) fit.fit();
  };
  const resize = new ResizeObserver(() => safeFit());
  resize.observe(parent);
  const themeWatch = new MutationObserver(() => {
    term.options.theme = themeFrom(parent);
  });
  themeWatch.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
  safeFit();

  return {
    write: (text) => term.write(text),
    note: (text) => term.write(`\x1b[90m${text}\x1b[0m\r\n`),
    clear: () => term.clear(),
    fit: safeFit,
    destroy() {
      typing.dispose();
      resize.disconnect();
      themeWatch.disconnect();
      term.dispose();
    },
  };
}
