/**
 * The code editor: one CodeMirror view, one EditorState per file (so each file keeps its own undo
 * history). Colours come from CSS variables, so it follows the site's light/dark switch.
 *
 * Keyboard users are never trapped: Tab indents, but Escape then Tab moves focus out (CodeMirror's
 * tab-focus mode), and the hint under the editor says so.
 */
import { basicSetup } from 'codemirror';
import { indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { crashMarker, setCrashLine } from './crash-marker.ts';

/**
 * Every lab is mostly JavaScript, so that grammar ships with the editor; JSON, HTML and CSS load
 * only when a lab has such a file.
 */
export async function loadLanguage(path: string): Promise<Extension> {
  if (/\.(m|c)?js$/.test(path)) return javascript();
  if (path.endsWith('.json')) return (await import('@codemirror/lang-json')).json();
  if (/\.html?$/.test(path)) return (await import('@codemirror/lang-html')).html();
  if (path.endsWith('.css')) return (await import('@codemirror/lang-css')).css();
  return [];
}

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier], color: 'var(--ws-syn-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--ws-syn-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--ws-syn-number)' },
  {
    tag: [t.comment, t.lineComment, t.blockComment],
    color: 'var(--ws-syn-comment)',
    fontStyle: 'italic',
  },
  {
    tag: [t.function(t.variableName), t.function(t.propertyName)],
    color: 'var(--ws-syn-function)',
  },
  { tag: [t.propertyName, t.attributeName], color: 'var(--ws-syn-property)' },
  { tag: [t.typeName, t.className, t.tagName], color: 'var(--ws-syn-type)' },
  { tag: t.invalid, color: 'var(--c-bad)' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--c-fg)', backgroundColor: 'var(--c-surface)', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', fontSize: '13px', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--c-fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--c-fg)' },
  '.cm-gutters': {
    backgroundColor: 'var(--c-surface-2, var(--c-surface))',
    color: 'var(--c-muted)',
    borderRight: '1px solid var(--c-border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--ws-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--ws-active-line)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--ws-selection) !important',
  },
  '.cm-matchingBracket': { outline: '1px solid var(--c-accent)', backgroundColor: 'transparent' },
  '.cm-panels': { backgroundColor: 'var(--c-surface)', color: 'var(--c-fg)' },
  '.cm-tooltip': { backgroundColor: 'var(--c-surface)', border: '1px solid var(--c-border)' },
});

export interface EditorOptions {
  parent: HTMLElement;
  /** Accessible name of the editing area, e.g. "Code editor". */
  label: string;
  onChange(path: string, text: string): void;
  /** Ctrl/Cmd-S: save now (restart without waiting for the pause). */
  onSaveNow(): void;
}

export interface CodeEditor {
  open(path: string, text: string): void;
  /** Replaces a file's text as one undoable change (used by "Use solution" and Reset). */
  replace(path: string, text: string): void;
  readonly path: string | null;
  readonly view: EditorView;
  /** Selects line `line` (1-based) of the open file, scrolls to it and focuses the editor. */
  goToLine(line: number): void;
  /** Marks the line a crash came from in `path` (null: clears every mark). */
  markCrash(mark: { path: string; line: number; message: string } | null): void;
  focus(): void;
  destroy(): void;
}

export function createEditor(options: EditorOptions): CodeEditor {
  const states = new Map<string, EditorState>();
  let current: string | null = null;

  const language = new Compartment();
  const extensionsFor = (path: string): Extension[] => [
    basicSetup,
    keymap.of([
      indentWithTab,
      {
        key: 'Mod-s',
        preventDefault: true,
        run: () => {
          options.onSaveNow();
          return true;
        },
      },
    ]),
    language.of(/\.(m|c)?js$/.test(path) ? javascript() : []),
    syntaxHighlighting(highlight),
    theme,
    crashMarker,
    // An explicit tabindex tells assistive tech (and axe) the scrolling region is reachable.
    EditorView.contentAttributes.of({ 'aria-label': `${options.label}: ${path}`, tabindex: '0' }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(path, update.state.doc.toString());
    }),
  ];

  const view = new EditorView({ parent: options.parent });

  /** A crash in a file not opened yet is marked when it opens. */
  let pendingCrash: { path: string; line: number; message: string } | null = null;

  const stateFor = (path: string, text: string): EditorState => {
    const existing = states.get(path);
    if (existing) return existing;
    let state = EditorState.create({ doc: text, extensions: extensionsFor(path) });
    if (pendingCrash?.path === path) {
      state = state.update({ effects: setCrashLine.of(pendingCrash) }).state;
      pendingCrash = null;
    }
    states.set(path, state);
    if (!/\.(m|c)?js$/.test(path)) {
      void loadLanguage(path).then((extension) => {
        const effects = language.reconfigure(extension);
        if (current === path) view.dispatch({ effects });
        else states.set(path, (states.get(path) ?? state).update({ effects }).state);
      });
    }
    return state;
  };

  return {
    open(path, text) {
      if (current !== null) states.set(current, view.state);
      view.setState(stateFor(path, text));
      current = path;
    },
    replace(path, text) {
      if (current === path) {
        view.dispatch({
          changes: { from: 0, to: view.state.doc.length, insert: text },
          selection: { anchor: 0 },
          scrollIntoView: true,
        });
        return;
      }
      const state = states.get(path);
      if (!state) return;
      const next = state.update({ changes: { from: 0, to: state.doc.length, insert: text } }).state;
      states.set(path, next);
      options.onChange(path, text);
    },
    get path() {
      return current;
    },
    goToLine(line) {
      const doc = view.state.doc;
      const target = doc.line(Math.min(Math.max(1, line), doc.lines));
      view.dispatch({
        selection: { anchor: target.from, head: target.to },
        scrollIntoView: true,
      });
      view.focus();
    },
    markCrash(mark) {
      pendingCrash = mark !== null && !states.has(mark.path) && current !== mark.path ? mark : null;
      for (const path of new Set([...states.keys(), ...(current === null ? [] : [current])])) {
        const effects = setCrashLine.of(mark?.path === path ? mark : null);
        if (path === current) view.dispatch({ effects });
        else states.set(path, states.get(path)!.update({ effects }).state);
      }
    },
    view,
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
