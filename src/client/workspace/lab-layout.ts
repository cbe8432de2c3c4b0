/**
 * The lab's panes: the editor with its file tabs, the preview beside the terminal, and the live
 * traffic view for multi-instance labs. Wide labs show them together with draggable separators;
 * narrow ones (a CSS container query) show one at a time behind the pane tabs.
 */
import { h } from './dom.ts';
import { createPaneTabs, createSplitter } from './panes.ts';
import { createPreview, type PreviewPane } from './preview.ts';
import { createTopologyView, type TopologyView } from './topology-view.ts';

export interface LabLayout {
  /** Everything between the toolbar and the status line. */
  readonly main: HTMLElement;
  readonly editorHost: HTMLElement;
  readonly terminalHost: HTMLElement;
  /** The panes focus mode shows as side tabs. */
  readonly terminalPane: HTMLElement;
  readonly topologyPane: HTMLElement | null;
  /** The check results with a note for before the first Check (a tab on phones and in focus mode). */
  readonly checksPane: HTMLElement;
  readonly preview: PreviewPane;
  readonly topology: TopologyView | null;
  /** The phone layout's tab bar (selectPane() switches it). */
  readonly paneTabs: HTMLElement;
}

export function createLabLayout(options: {
  idBase: string;
  fileTabs: HTMLElement;
  topology: { instances: number; store: boolean } | null;
  /** A line for the running balancer (the traffic view's kill/start buttons). */
  send(line: string): void;
  /** The check panel's element. */
  checks: HTMLElement;
}): LabLayout {
  const { idBase } = options;
  const editorHost = h('div', { class: 'ws-editor__host' });
  const editorPane = h(
    'div',
    { class: 'ws-pane ws-editor' },
    options.fileTabs,
    editorHost,
    h(
      'p',
      { class: 'ws-editor__help' },
      'Edits save as you type. Esc then Tab leaves the editor; Ctrl+Enter checks; ? lists shortcuts.',
    ),
  );
  const preview = createPreview(idBase);
  const previewPane = h('div', { class: 'ws-pane ws-previewpane' }, preview.element);
  const terminalHost = h('div', {
    class: 'ws-terminal__host',
    'aria-labelledby': `${idBase}-term-label`,
  });
  const terminalPane = h(
    'div',
    { class: 'ws-pane ws-termpane' },
    h('p', { class: 'ws-pane__label', id: `${idBase}-term-label` }, 'Terminal'),
    terminalHost,
  );
  const topology = options.topology
    ? createTopologyView({
        instances: options.topology.instances,
        store: options.topology.store,
        command: options.send,
      })
    : null;
  const topologyPane = topology
    ? h(
        'div',
        { class: 'ws-pane ws-topopane' },
        h('p', { class: 'ws-pane__label' }, 'Live traffic'),
        topology.element,
      )
    : null;

  // Below the panes on a wide lesson column; a tab of its own on phones and in focus mode, where
  // an empty tab needs a word on what will appear in it.
  const checksPane = h(
    'div',
    { class: 'ws-checkspane' },
    options.checks,
    h('p', { class: 'ws-checks-empty' }, 'No checks yet. Press Check to test your code.'),
  );

  const lower = h('div', { class: 'ws-lower' });
  lower.append(
    previewPane,
    createSplitter({
      host: lower,
      variable: '--ws-preview-w',
      orientation: 'vertical',
      label: 'Resize the preview and the terminal',
      initial: 55,
      min: 20,
      max: 80,
      measure: () => lower.clientWidth,
    }),
    terminalPane,
  );
  const main = h('div', { class: 'ws-main' });
  const paneTabs = createPaneTabs(main, idBase, [
    { id: 'code', label: 'Code', panel: editorPane },
    { id: 'preview', label: 'Preview', panel: previewPane },
    { id: 'terminal', label: 'Terminal', panel: terminalPane },
    ...(topologyPane ? [{ id: 'traffic', label: 'Traffic', panel: topologyPane }] : []),
    { id: 'checks', label: 'Checks', panel: checksPane },
  ]);
  main.append(
    paneTabs,
    editorPane,
    createSplitter({
      host: main,
      variable: '--ws-editor-h',
      orientation: 'horizontal',
      label: 'Resize the editor',
      initial: 55,
      min: 20,
      max: 85,
      measure: () => editorPane.offsetHeight + lower.offsetHeight,
      format: (percent) => `calc(var(--ws-height) * ${percent / 100})`,
    }),
    lower,
  );
  if (topologyPane) main.append(topologyPane);
  main.append(checksPane);
  return {
    checksPane,
    main,
    editorHost,
    terminalHost,
    terminalPane,
    topologyPane,
    preview,
    topology,
    paneTabs,
  };
}
