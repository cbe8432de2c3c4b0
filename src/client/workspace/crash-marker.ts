/**
 * The line the learner's server crashed on, marked in the editor: a red sign in the gutter and a
 * tinted line, with the error in the marker's title. The mark follows the line while the learner
 * edits around it, and goes away when the server next starts cleanly.
 */
import { RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutter, type DecorationSet } from '@codemirror/view';

/** 1-based line and the message to show on it; null clears the mark. */
export const setCrashLine = StateEffect.define<{ line: number; message: string } | null>();

class CrashSign extends GutterMarker {
  constructor(readonly message: string) {
    super();
  }
  override eq(other: CrashSign): boolean {
    return other.message === this.message;
  }
  override toDOM(): Node {
    const sign = document.createElement('span');
    sign.className = 'ws-crash-sign';
    sign.textContent = '●';
    sign.title = this.message;
    sign.setAttribute('aria-label', this.message);
    return sign;
  }
}

interface CrashMark {
  line: DecorationSet;
  sign: RangeSet<GutterMarker>;
}

const none: CrashMark = { line: Decoration.none, sign: RangeSet.empty };

const crashField = StateField.define<CrashMark>({
  create: () => none,
  update(mark, transaction) {
    let next = {
      line: mark.line.map(transaction.changes),
      sign: mark.sign.map(transaction.changes),
    };
    for (const effect of transaction.effects) {
      if (!effect.is(setCrashLine)) continue;
      if (effect.value === null) {
        next = none;
        continue;
      }
      const doc = transaction.state.doc;
      const at = doc.line(Math.min(Math.max(1, effect.value.line), doc.lines)).from;
      next = {
        line: Decoration.set([Decoration.line({ class: 'ws-crash-line' }).range(at)]),
        sign: RangeSet.of([new CrashSign(effect.value.message).range(at)]),
      };
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (mark) => mark.line),
});

export const crashMarker: Extension = [
  crashField,
  gutter({
    class: 'ws-crash-gutter',
    markers: (view) => view.state.field(crashField).sign,
  }),
  EditorView.baseTheme({
    '.ws-crash-line': {
      backgroundColor: 'color-mix(in srgb, var(--c-bad, #c62828) 14%, transparent)',
    },
    '.ws-crash-gutter': { width: '1em' },
    '.ws-crash-sign': { color: 'var(--c-bad, #c62828)', fontSize: '0.8em' },
  }),
];
