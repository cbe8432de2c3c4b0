/**
 * The live workspace, mounted over <Sandbox />'s static first view on the learner's first
 * interaction. It wires the editor, terminal, preview, topology and checks to a LabSession and
 * keeps the learner's edits in the browser.
 */
import {
  RUNTIME_QUERY_PARAM,
  RuntimeError,
  getPreferredRuntime,
  setPreferredRuntime,
  type RuntimeChoice,
  type RuntimeKind,
} from '../../runtime/index.ts';
import { PROGRESS_EVENT, recordCheckRun, recordSolutionShown } from '../../utils/progress.ts';
import { createCheckPanel } from './check-panel.ts';
import {
  applyCheckResult,
  finishCheckRun,
  passedTitles,
  startCheckRun,
  type CheckRunState,
} from './check-run.ts';
import { readLessonContext } from './context.ts';
import { debounce } from './debounce.ts';
import { button, h } from './dom.ts';
import { loadFiles, saveFiles } from './edit-storage.ts';
import { createEditor } from './editor.ts';
import { createPaneTabs, createSplitter, selectPane } from './panes.ts';
import { createPreview } from './preview.ts';
import { runtimeErrorPanel } from './runtime-panel.ts';
import type { Files, SandboxBundle } from '../../sandbox/types.ts';
import { LabSession, type RunStatus } from './session.ts';
import type { SolutionView } from './solution-view.ts';
import { createLazyTerminal } from './terminal-lazy.ts';
import { allDown, initialTopology, reduceTopology } from './topology-state.ts';
import { createTopologyView } from './topology-view.ts';
import './workspace.css';

/** What the first interaction was, so the click that loaded us also does its job. */
export type Intent =
  | { kind: 'run' }
  | { kind: 'check' }
  | { kind: 'open'; path: string }
  /** They clicked into the code: put the caret in the editor. */
  | { kind: 'code' }
  | { kind: 'none' };

const SAVE_DELAY_MS = 300;
const RESTART_DELAY_MS = 800;
const SILENT_AFTER_MS = 8000;
const CHECK_DEADLINE_MS = 60_000;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const memory = new Map<string, string>();
/** Falls back to memory when the browser blocks storage, so the page still works for this visit. */
const store = storage() ?? {
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, v),
  removeItem: (k: string) => void memory.delete(k),
  get length() {
    return memory.size;
  },
  key: (i: number) => [...memory.keys()][i] ?? null,
};

function failedBackend(error: RuntimeError): RuntimeKind | null {
  if (error.code === 'runner-unreachable' || error.code === 'rejected') return 'local';
  if (error.code === 'failed') return null;
  return 'webcontainer';
}

/**
 * `takeIntent` is read once the workspace is ready: a click that lands while the lab's files are
 * still downloading is not lost.
 */
export async function mountWorkspace(root: HTMLElement, takeIntent: () => Intent): Promise<void> {
  const id = root.dataset['sandbox'] ?? '';
  const idBase = `ws-${id}`;
  const body = root.querySelector<HTMLElement>('[data-sbx-body]');
  const actions = root.querySelector<HTMLElement>('[data-sbx-actions]');
  const fileTabs = root.querySelector<HTMLElement>('[data-sbx-files]');
  const runButton = root.querySelector<HTMLButtonElement>('[data-action="run"]');
  const checkButton = root.querySelector<HTMLButtonElement>('[data-action="check"]');
  if (!body || !actions || !fileTabs || !runButton || !checkButton) return;

  // Start the terminal's download now; it arrives while the lab's files and the editor load.
  void import('./terminal.ts');
  const response = await fetch(root.dataset['bundleUrl'] ?? `/sandboxes/${id}.json`);
  if (!response.ok) throw new Error(`Could not load the lab files (HTTP ${response.status}).`);
  const bundle = (await response.json()) as SandboxBundle;
  const lesson = readLessonContext(root);
  const { starter, manifest } = bundle;
  let files: Files = loadFiles(store, id, starter);
  let undoSnapshot: Files | null = null;
  const order = [
    ...manifest.open,
    ...Object.keys(starter).filter((p) => !manifest.open.includes(p)),
  ];

  // ---- toolbar ------------------------------------------------------------------------------
  const stopButton = button('Stop', { class: 'ws-btn', 'data-action': 'stop' });
  const restartButton = button('Restart', { class: 'ws-btn', 'data-action': 'restart' });
  const solutionButton = button('Show solution', {
    class: 'ws-btn ws-btn--quiet',
    'data-action': 'solution',
  });
  const resetButton = button('Reset', { class: 'ws-btn ws-btn--quiet', 'data-action': 'reset' });
  const undoButton = button('Undo', {
    class: 'ws-btn ws-btn--quiet',
    'data-action': 'undo',
    hidden: true,
  });
  runButton.after(stopButton, restartButton);
  checkButton.after(solutionButton, resetButton, undoButton);
  const status = h('p', { class: 'ws-status', role: 'status' });

  /** aria-disabled (not disabled) keeps focus on a button whose action just became unavailable. */
  const enable = (b: HTMLButtonElement, on: boolean) =>
    b.setAttribute('aria-disabled', String(!on));
  const usable = (b: HTMLButtonElement) => b.getAttribute('aria-disabled') !== 'true';

  // ---- panes ----------------------------------------------------------------------------------
  const editorHost = h('div', { class: 'ws-editor__host' });
  const editorPane = h(
    'div',
    { class: 'ws-pane ws-editor' },
    fileTabs,
    editorHost,
    h(
      'p',
      { class: 'ws-editor__help' },
      'Edits save as you type. Press Esc then Tab to leave the editor.',
    ),
  );
  const preview = createPreview(idBase);
  const previewPane = h('div', { class: 'ws-pane ws-previewpane' }, preview.element);
  const terminalHost = h('div', { class: 'ws-terminal__host' });
  const terminalPane = h(
    'div',
    { class: 'ws-pane ws-termpane' },
    h('p', { class: 'ws-pane__label', id: `${idBase}-term-label` }, 'Terminal'),
    terminalHost,
  );
  const lower = h('div', { class: 'ws-lower' });
  const main = h('div', { class: 'ws-main' });
  const topologyView = manifest.topology
    ? createTopologyView({
        instances: manifest.topology.instances,
        store: manifest.topology.store,
        command: (line) => void session.send(line),
      })
    : null;
  const topologyPane = topologyView
    ? h(
        'div',
        { class: 'ws-pane ws-topopane' },
        h('p', { class: 'ws-pane__label' }, 'Live traffic'),
        topologyView.element,
      )
    : null;

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
  const tabs = createPaneTabs(main, idBase, [
    { id: 'code', label: 'Code', panel: editorPane },
    { id: 'preview', label: 'Preview', panel: previewPane },
    { id: 'terminal', label: 'Terminal', panel: terminalPane },
    ...(topologyPane ? [{ id: 'traffic', label: 'Traffic', panel: topologyPane }] : []),
  ]);
  main.append(
    tabs,
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
  const runtimeMessage = h('div', { class: 'ws-runtime', hidden: true });
  const checkPanel = createCheckPanel({ idBase, hints: manifest.hints, next: lesson.next });

  // ---- editor -----------------------------------------------------------------------------------
  const saveSoon = debounce(() => saveFiles(store, id, starter, files), SAVE_DELAY_MS);
  const restartSoon = debounce(() => {
    if (session.running) void startRun('Restarting after your edit…');
  }, RESTART_DELAY_MS);
  const editor = createEditor({
    parent: editorHost,
    label: 'Code editor',
    onChange(path, text) {
      files = { ...files, [path]: text };
      saveSoon.schedule();
      if (session.running) restartSoon.schedule();
    },
    onSaveNow() {
      saveSoon.flush();
      restartSoon.flush();
    },
  });
  window.addEventListener('pagehide', () => saveSoon.flush());

  const openFile = (path: string) => {
    if (!Object.hasOwn(files, path)) return;
    editor.open(path, files[path] ?? '');
    for (const tab of fileTabs.querySelectorAll<HTMLElement>('[data-file]')) {
      const selected = tab.dataset['file'] === path;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
  };
  fileTabs.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const all = [...fileTabs.querySelectorAll<HTMLElement>('[data-file]')];
    const index = all.findIndex((tab) => tab.getAttribute('aria-selected') === 'true');
    const next = all[(index + (event.key === 'ArrowRight' ? 1 : -1) + all.length) % all.length];
    if (!next?.dataset['file']) return;
    event.preventDefault();
    openFile(next.dataset['file']);
    next.focus();
  });
  fileTabs.addEventListener('click', (event) => {
    const tab = (event.target as HTMLElement).closest<HTMLElement>('[data-file]');
    if (tab?.dataset['file']) openFile(tab.dataset['file']);
  });

  // ---- terminal -------------------------------------------------------------------------------
  // The static view is replaced only now, so the learner never sees an empty box while loading.
  body.replaceChildren(runtimeMessage, main, status);
  root.append(checkPanel.element);
  if (topologyPane) main.append(topologyPane);
  topologyView?.render(initialTopology(manifest.topology?.instances ?? 0));
  root.dataset['live'] = 'true';

  const terminal = createLazyTerminal(terminalHost, (line) => {
    if (session.running) void session.send(line);
    else terminal.note('(nothing is running: press Run first)');
  });
  terminalHost.setAttribute('aria-labelledby', `${idBase}-term-label`);

  // ---- session ----------------------------------------------------------------------------------
  let topology = initialTopology(manifest.topology?.instances ?? 0);
  let silentTimer: ReturnType<typeof setTimeout> | undefined;
  const setRunButtons = (running: boolean) => {
    enable(runButton, !running);
    enable(stopButton, running);
    enable(restartButton, running);
    topologyView?.setEnabled(running);
  };
  setRunButtons(false);

  const session: LabSession = new LabSession(bundle, {
    status(next: RunStatus) {
      clearTimeout(silentTimer);
      if (next.kind === 'starting') {
        setRunButtons(true);
        preview.set({ kind: 'starting' });
        silentTimer = setTimeout(() => {
          if (preview.state.kind === 'starting') {
            preview.set({ kind: 'silent', seconds: SILENT_AFTER_MS / 1000 });
          }
        }, SILENT_AFTER_MS);
      } else if (next.kind === 'running') {
        setRunButtons(true);
        status.textContent = 'Your server is running.';
      } else if (next.kind === 'stopped') {
        setRunButtons(false);
        preview.set({ kind: 'stopped' });
        status.textContent = 'Stopped.';
      } else {
        setRunButtons(false);
        preview.set(next.code === 0 ? { kind: 'finished' } : { kind: 'crashed', code: next.code });
        status.textContent =
          next.code === 0
            ? 'Your program finished.'
            : `Your server crashed (exit code ${next.code}).`;
      }
      if (next.kind === 'stopped' || next.kind === 'exited') {
        topology = allDown(topology);
        topologyView?.render(topology);
      }
    },
    output: (text) => terminal.write(text),
    note: (text) => terminal.note(text),
    event(event) {
      topology = reduceTopology(topology, event);
      topologyView?.render(topology);
      if (event.type === 'request') topologyView?.flash(event.instance);
    },
    preview(url) {
      if (url !== null) preview.set({ kind: 'ready', url });
    },
  });

  const showRuntimeError = (error: unknown) => {
    const runtimeError =
      error instanceof RuntimeError
        ? error
        : new RuntimeError('failed', String((error as Error)?.message ?? error));
    runtimeMessage.hidden = false;
    runtimeMessage.replaceChildren(
      runtimeErrorPanel({
        code: runtimeError.code,
        message: runtimeError.message,
        failed: failedBackend(runtimeError),
        onChoose(kind) {
          setPreferredRuntime(kind);
          choiceSelect.value = kind;
          runtimeMessage.hidden = true;
          runtimeMessage.replaceChildren();
          void session.runtime(kind).then(
            (selection) => {
              describeRuntime(selection.kind);
              void startRun();
            },
            (again: unknown) => showRuntimeError(again),
          );
        },
      }),
    );
    setRunButtons(false);
    preview.set({ kind: 'idle' });
    status.textContent = '';
  };

  const describeRuntime = (kind: RuntimeKind) => {
    root.dataset['runtime'] = kind;
    runtimeBadge.textContent =
      kind === 'local'
        ? 'Running on the local runtime (Node on this computer)'
        : 'Running in your browser (WebContainer)';
  };
  const runtimeBadge = h('span', { class: 'ws-runtime-badge' });
  const urlChoice = new URLSearchParams(location.search).get(RUNTIME_QUERY_PARAM);
  const initialChoice: RuntimeChoice =
    urlChoice === 'local' || urlChoice === 'webcontainer' ? urlChoice : getPreferredRuntime();
  const choiceSelect = h(
    'select',
    { class: 'ws-runtime-choice__select', id: `${idBase}-runtime` },
    ...(
      [
        ['auto', 'Automatic'],
        ['webcontainer', 'In this browser (WebContainer)'],
        ['local', 'Local (Node via npm start)'],
      ] as const
    ).map(([value, label]) => h('option', { value, selected: value === initialChoice }, label)),
  );
  choiceSelect.addEventListener('change', () => {
    const choice = choiceSelect.value as RuntimeChoice;
    setPreferredRuntime(choice);
    runtimeMessage.hidden = true;
    status.textContent = 'Switching the runtime…';
    void session.switchRuntime(choice).then(
      (selection) => {
        describeRuntime(selection.kind);
        status.textContent = 'Runtime switched. Press Run to start your server.';
      },
      (error: unknown) => showRuntimeError(error),
    );
  });
  const runtimeChoice = h(
    'div',
    { class: 'ws-runtime-choice' },
    runtimeBadge,
    h('label', { for: `${idBase}-runtime` }, 'Runtime'),
    choiceSelect,
  );
  actions.after(runtimeChoice);

  const startRun = async (message = 'Starting…') => {
    restartSoon.cancel();
    saveSoon.flush();
    status.textContent = message;
    setRunButtons(true);
    try {
      const selection = await session.runtime();
      describeRuntime(selection.kind);
      topology = initialTopology(manifest.topology?.instances ?? 0);
      topologyView?.render(topology);
      await session.start(files);
    } catch (error) {
      showRuntimeError(error);
    }
  };

  runButton.addEventListener('click', () => {
    if (usable(runButton)) void startRun();
  });
  stopButton.addEventListener('click', () => {
    if (!usable(stopButton)) return;
    restartSoon.cancel();
    void session.stop();
  });
  restartButton.addEventListener('click', () => {
    if (usable(restartButton)) void startRun('Restarting…');
  });

  // ---- checks -----------------------------------------------------------------------------------
  let checking = false;
  checkButton.addEventListener('click', async () => {
    if (checking) return;
    checking = true;
    enable(checkButton, false);
    checkButton.setAttribute('aria-busy', 'true');
    saveSoon.flush();
    let state: CheckRunState = startCheckRun(bundle.checkTitles);
    checkPanel.render(state);
    try {
      const selection = await session.runtime();
      describeRuntime(selection.kind);
    } catch (error) {
      showRuntimeError(error);
      state = finishCheckRun(state, { kind: 'failed', message: 'no runtime is available.' });
      checkPanel.render(state);
      checking = false;
      enable(checkButton, true);
      checkButton.removeAttribute('aria-busy');
      return;
    }
    const outcome = await session.check(files, CHECK_DEADLINE_MS, {
      result(result) {
        state = applyCheckResult(state, result);
        checkPanel.render(state);
      },
    });
    state = finishCheckRun(
      state,
      outcome.kind === 'exited'
        ? { kind: 'exited', code: outcome.code, complete: outcome.summary }
        : outcome.kind === 'deadline'
          ? { kind: 'deadline', seconds: CHECK_DEADLINE_MS / 1000 }
          : outcome,
    );
    checkPanel.render(state);
    if (outcome.kind !== 'failed') {
      recordCheckRun(store, lesson.slug, passedTitles(state), state.rows.length);
      window.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: { lesson: lesson.slug } }));
    }
    checking = false;
    enable(checkButton, true);
    checkButton.removeAttribute('aria-busy');
  });

  // ---- reset, solution, undo ------------------------------------------------------------------------
  const replaceAll = (next: Files) => {
    for (const path of order) {
      const text = next[path];
      if (text !== undefined && text !== files[path]) editor.replace(path, text);
    }
    files = { ...next };
    saveFiles(store, id, starter, files);
    if (session.running) restartSoon.schedule();
  };
  const offerUndo = (snapshot: Files, label: string) => {
    undoSnapshot = snapshot;
    undoButton.hidden = false;
    undoButton.setAttribute('aria-description', label);
  };
  undoButton.addEventListener('click', () => {
    if (!undoSnapshot) return;
    replaceAll(undoSnapshot);
    undoSnapshot = null;
    undoButton.hidden = true;
    status.textContent = 'Your previous code is back.';
    resetButton.focus();
  });
  resetButton.addEventListener('click', () => {
    const changed = order.some((p) => files[p] !== starter[p]);
    if (!changed) {
      status.textContent = 'Your files already match the starter.';
      return;
    }
    if (!window.confirm('Reset every file to the starter code? You can undo this once.')) return;
    offerUndo({ ...files }, 'Bring back the code you had before Reset');
    replaceAll({ ...starter });
    status.textContent = 'Files reset to the starter. Undo brings your code back.';
  });

  let solutionView: SolutionView | null = null;
  const closeSolution = () => {
    solutionView?.destroy();
    solutionView?.element.remove();
    solutionView = null;
    editorHost.hidden = false;
    solutionButton.textContent = 'Show solution';
    solutionButton.setAttribute('aria-expanded', 'false');
  };
  solutionButton.setAttribute('aria-expanded', 'false');
  let solutionLoading = false;
  solutionButton.addEventListener('click', async () => {
    if (solutionView) {
      closeSolution();
      return;
    }
    if (solutionLoading) return;
    // The course-complete page tells labs solved alone from labs finished after a look.
    recordSolutionShown(store, lesson.slug);
    selectPane(tabs, 'code');
    // The diff view is only for learners who ask for it, so it is its own chunk.
    solutionLoading = true;
    const { createSolutionView } = await import('./solution-view.ts').finally(() => {
      solutionLoading = false;
    });
    solutionView = await createSolutionView({
      learner: files,
      solution: bundle.solution,
      order,
      initialPath: editor.path,
      onUse() {
        offerUndo({ ...files }, 'Bring back your code from before Use solution');
        const next = { ...files };
        for (const path of order)
          if (bundle.solution[path] !== undefined) next[path] = bundle.solution[path];
        closeSolution();
        replaceAll(next);
        status.textContent = 'The solution is in the editor. Undo brings your code back.';
        undoButton.focus();
      },
      onClose() {
        closeSolution();
        solutionButton.focus();
      },
    });
    editorHost.hidden = true;
    editorHost.after(solutionView.element);
    solutionButton.setAttribute('aria-expanded', 'true');
  });

  // ---- first interaction ------------------------------------------------------------------------
  const intent = takeIntent();
  const firstPath =
    intent.kind === 'open' && Object.hasOwn(files, intent.path) ? intent.path : (order[0] ?? '');
  openFile(firstPath);
  if (intent.kind === 'run') void startRun();
  else if (intent.kind === 'check') checkButton.click();
  else if (intent.kind === 'code') editor.focus();
}
