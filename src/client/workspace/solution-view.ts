/**
 * "Show solution": the learner's file and the reference side by side (@codemirror/merge), both
 * read-only. "Use solution" is the workspace's job (it keeps an Undo); this only shows.
 */
import { MergeView } from '@codemirror/merge';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { button, h } from './dom.ts';
import { loadLanguage } from './editor.ts';
import { rovingTabs } from './roving-tabs.ts';
import type { Files } from '../../sandbox/types.ts';

export interface SolutionView {
  readonly element: HTMLElement;
  destroy(): void;
}

/** Paths whose text differs between the learner's files and the solution, in a stable order. */
export function changedPaths(learner: Files, solution: Files, order: readonly string[]): string[] {
  const all = [...new Set([...order, ...Object.keys(solution)])];
  return all.filter((p) => Object.hasOwn(solution, p) && learner[p] !== solution[p]);
}

/** Keeps tab ids unique when a view is opened, closed and opened again. */
let tabIds = 0;

export async function createSolutionView(options: {
  learner: Files;
  solution: Files;
  order: readonly string[];
  initialPath: string | null;
  onUse(): void;
  onClose(): void;
}): Promise<SolutionView> {
  const paths = changedPaths(options.learner, options.solution, options.order);
  const mergeHost = h('div', { class: 'ws-solution__merge', role: 'tabpanel' });
  const fileBar = h('div', {
    class: 'ws-solution__files',
    role: 'tablist',
    'aria-label': 'Files that differ',
  });
  let merge: MergeView | null = null;

  const languages = new Map<string, Extension>();
  for (const path of paths) languages.set(path, await loadLanguage(path));
  const readOnly = (path: string, side: string) => [
    basicSetup,
    languages.get(path) ?? [],
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    // Read-only views aren't focusable by default; keyboard users still need to scroll them.
    EditorView.contentAttributes.of({ tabindex: '0', 'aria-label': `${side}: ${path}` }),
  ];

  const show = (path: string) => {
    merge?.destroy();
    merge = new MergeView({
      a: { doc: options.learner[path] ?? '', extensions: readOnly(path, 'Your code') },
      b: { doc: options.solution[path] ?? '', extensions: readOnly(path, 'Solution') },
      parent: mergeHost,
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    const tab = tabs.find((b) => b.dataset['path'] === path);
    if (tab) {
      roving.select(tab);
      mergeHost.setAttribute('aria-labelledby', tab.id);
    }
  };

  const tabs = paths.map((path, index) =>
    button(path, {
      class: 'ws-tab',
      role: 'tab',
      id: `ws-solution-${++tabIds}-${index}`,
      'data-path': path,
      'aria-selected': 'false',
    }),
  );
  fileBar.append(...tabs);
  const roving = rovingTabs(fileBar, {
    tabs: () => tabs,
    activate: (tab) => show(tab.dataset['path'] ?? ''),
  });

  const use = button('Use solution', { class: 'ws-btn ws-btn--primary' });
  use.addEventListener('click', () => options.onUse());
  const close = button('Close solution', { class: 'ws-btn' });
  close.addEventListener('click', () => options.onClose());

  const element = h(
    'section',
    { class: 'ws-solution', 'aria-label': 'Your code and the solution side by side' },
    h(
      'div',
      { class: 'ws-solution__bar' },
      h('p', { class: 'ws-solution__legend' }, 'Left: your code. Right: the solution.'),
      use,
      close,
    ),
    fileBar,
    paths.length === 0
      ? h('p', { class: 'ws-solution__same' }, 'Your files already match the solution.')
      : mergeHost,
  );
  if (paths.length === 0) use.disabled = true;
  else
    show(
      options.initialPath !== null && paths.includes(options.initialPath)
        ? options.initialPath
        : paths[0]!,
    );

  return {
    element,
    destroy() {
      merge?.destroy();
    },
  };
}
