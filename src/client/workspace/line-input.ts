/**
 * A minimal line discipline for the terminal. The learner's process reads a pipe, not a TTY, so
 * nothing echoes what they type: we echo locally, handle Backspace, and send the line on Enter.
 */
export interface LineInputResult {
  /** What to write to the terminal so the learner sees their typing. */
  echo: string;
  /** Complete lines (with `\n`) to send to the process's stdin. */
  send: string[];
}

/** Arrow keys and friends arrive as ESC [ … letter; a pipe can't use them, so they are dropped. */
const ESCAPE_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z~]`, 'g');

export function createLineInput() {
  let line = '';
  return {
    /** Feeds xterm's `onData` payload (typed keys or a paste). */
    feed(data: string): LineInputResult {
      const result: LineInputResult = { echo: '', send: [] };
      for (const ch of data.replace(ESCAPE_SEQUENCE, '')) {
        if (ch === '\r' || ch === '\n') {
          result.send.push(line + '\n');
          result.echo += '\r\n';
          line = '';
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            result.echo += '\b \b';
          }
        } else if (ch === '\x03') {
          // Ctrl-C drops the typed line; stopping the process is the Stop button's job.
          line = '';
          result.echo += '^C\r\n';
        } else if (ch >= ' ') {
          line += ch;
          result.echo += ch;
        }
      }
      return result;
    },
    get pending() {
      return line;
    },
  };
}
