/**
 * The live workspace, mounted over <Sandbox />'s static first view on the learner's first
 * interaction. This file only assembles: each control (toolbar, file tabs, runtime choice, run
 * control, checks, edit history) lives in its own module and meets the others here.
 */
import { browserStorage } from '../storage.ts';
import { readProgress, recordSolutionShown } from '../../utils/progress.ts';
import { createCheckControl } from './check-control.ts';
import { createCheckPanel } from './check-panel.ts';
import { readLessonContext } from './context.ts';
import { createCrashBanner } from './crash-banner.ts';
import { createEditHistory } from './edit-history.ts';
import { EARLY_START_CAP_MS, heavyPartsGate } from './early-start.ts';
import { settleWithin } from './settle-within.ts';
import { savedAt } from './edit-storage.ts';
import { lastCheckLabel, savedLabel } from './kept-work-text.ts';
import { createFileTabs } from './file-tabs.ts';
import { createFocusMode } from './focus-mode.ts';
import { createLabFiles, fetchLabBundle } from './lab-files.ts';
import { createLabLayout } from './lab-layout.ts';
import { createLoadProgress } from './load-progress.ts';
import { selectPane } from './panes.ts';
import { createRunControl } from './run-control.ts';
import { createRuntimeChoice, type RuntimeChoiceControl } from './runtime-choice.ts';
import { LabSession, warmRuntime } from './session.ts';
import { createMeasureRecorder } from './measure-recorder.ts';
import { createLazyTerminal } from './terminal-lazy.ts';
import { installShortcuts } from './shortcuts.ts';
import { createToolbar } from './toolbar.ts';
import { createSolutionGate } from './solution-gate.ts';
// One file per part of the workspace, in cascade order: later files may refine earlier ones.
import './workspace.css';
import './workspace-preview.css';
import './workspace-solution.css';
import './workspace-topology.css';
import './workspace-checks.css';
import './workspace-narrow.css';
import './workspace-extras.css';
import './focus-mode.css';

/** What the first interaction was, so the click that loaded us also does its job. */
export type Intent =
  | { kind: 'run' }
  | { kind: 'check' }
  | { kind: 'open'; path: string }
  /** They clicked into the code: put the caret in the editor. */
  | { kind: 'code' }
  /** They left this lab in focus mode at their last visit. */
  | { kind: 'focus' }
  | { kind: 'none' };

/** Edits closer together than this are one burst of typing. */
const TYPING_PAUSE_MS = 1500;

/**
 * `takeIntent` is read once the workspace is ready: a click that lands while the lab's files are
 * still downloading is not lost.
 */
export async function mountWorkspace(root: HTMLElement, takeIntent: () => Intent): Promise<void> {
  const id = root.dataset['sandbox'] ?? '';
  const idBase = `ws-${id}`;
  const body = root.querySelector<HTMLElement>('[data-sbx-body]');
  const actions = root.querySelector<HTMLElement>('[data-sbx-actions]');
  const fileTabList = root.querySelector<HTMLElement>('[data-sbx-files]');
  if (!body || !actions || !fileTabList) return;

  // After a Run click the preview comes first; the static code stands in for the editor meanwhile.
  const heavyParts = heavyPartsGate(takeIntent().kind === 'run');
  const editorModule = heavyParts.ready.then(() => import('./editor.ts'));
  editorModule.catch(() => {});
  // The runtime boots while the lab's files and the editor load: Run then finds it ready.
  warmRuntime();
  const bundle = await fetchLabBundle(root, id);
  const { manifest } = bundle;
  const storage = browserStorage();
  const lesson = readLessonContext(root);
  const measure = createMeasureRecorder(storage, lesson.slug);
  const toolbar = createToolbar(root);
  if (!toolbar) return;
  const files = createLabFiles({
    storage,
    sandboxId: id,
    starter: bundle.starter,
    open: manifest.open,
  });

  // Moving the file tabs into the live layout drops keyboard focus on the page's body: remember
  // where it was, to put it back once the lab is in place.
  const focused = root.contains(document.activeElement) ? document.activeElement : null;
  const checkPanel = createCheckPanel({
    idBase,
    hints: manifest.hints,
    next: lesson.next,
    steps: manifest.steps ?? null,
  });
  const layout = createLabLayout({
    idBase,
    fileTabs: fileTabList,
    topology: manifest.topology,
    send: (line) => void session.send(line),
    checks: checkPanel.element,
  });
  const terminal = createLazyTerminal(
    layout.terminalHost,
    (line) => {
      if (session.running) void session.send(line);
      else terminal.note('(nothing is running: press Run first)');
    },
    heavyParts.ready,
  );
  let runtime: RuntimeChoiceControl | null = null;
  const crashBanner = createCrashBanner((path, line) => {
    openFile(path);
    selectPane(layout.paneTabs, 'code');
    editor.goToLine(line);
  });
  const loadProgress = createLoadProgress();
  // A Run-first load starts the server before the editor exists (see below); until it does, there
  // is no gutter to mark, and a fresh editor has no old mark to clear.
  let markCrash: (mark: { path: string; line: number; message: string } | null) => void = () => {};
  const run = createRunControl({
    toolbar,
    files,
    preview: layout.preview,
    topology: layout.topology,
    instances: manifest.topology?.instances ?? 0,
    runtime: () => runtime!,
    terminal,
    crash(location) {
      crashBanner.show(location);
      markCrash(location && { ...location, message: `${location.kind}: the server crashed here` });
    },
    measure,
    load: loadProgress,
  });
  const session = new LabSession(bundle, run.events);
  run.attach(session);
  runtime = createRuntimeChoice({
    idBase,
    root,
    session,
    say: (text) => (toolbar.status.textContent = text),
    onRecovered: () => void run.start(),
    onFailed() {
      toolbar.setRunning(false);
      layout.preview.set({ kind: 'idle' });
    },
  });
  actions.after(runtime.element);

  // The live layout replaces the static view once: moving the preview's frame later would reload it.
  let shown = false;
  const showLive = () => {
    if (shown) return;
    shown = true;
    body.replaceChildren(
      runtime!.message,
      crashBanner.element,
      layout.main,
      loadProgress.element,
      toolbar.status,
    );
  };
  // A Run click that brought the workspace in starts the server before the editor is built, and
  // the build waits until the process is spawned (or EARLY_START_CAP_MS, whichever comes first):
  // Node then boots while the editor, tabs and panels are made, not after them.
  const startedEarly = takeIntent().kind === 'run';
  if (startedEarly) {
    const starting = run.start();
    // A frame loads only while it is in the page, so the live layout goes in now, with the static
    // code standing in for the editor: the preview can then load the moment the server listens.
    layout.editorHost.append(...body.querySelectorAll('[data-file-pane]'));
    showLive();
    await settleWithin(
      starting.then(() => layout.preview.settled()),
      EARLY_START_CAP_MS,
    );
  }
  heavyParts.release();

  const { createEditor } = await editorModule.catch(async (error: unknown) => {
    // Without an editor there are no controls to stop a server this load started: stop it here.
    await session.dispose().catch(() => {});
    toolbar.status.textContent = `The editor could not load (${(error as Error).message}). Reload the page to try again.`;
    throw error;
  });
  const editor = createEditor({
    parent: layout.editorHost,
    label: 'Code editor',
    onChange: (path, text) => files.edit(path, text),
    onSaveNow() {
      files.flush();
      run.restartIfPending();
    },
  });
  markCrash = (mark) => editor.markCrash(mark);
  for (const standIn of layout.editorHost.querySelectorAll('[data-file-pane]')) standIn.remove();
  window.addEventListener('pagehide', () => files.flush());
  let lastEdit = 0;
  files.onChange((change) => {
    if (change === 'edit') lastEdit = Date.now();
  });
  const fileTabs = createFileTabs(fileTabList, (path) => openFile(path));
  const openFile = (path: string) => {
    if (!Object.hasOwn(files.current, path)) return;
    editor.open(path, files.current[path] ?? '');
    fileTabs.show(path);
  };

  const checks = createCheckControl({
    toolbar,
    panel: checkPanel,
    files,
    session,
    runtime,
    checkTitles: bundle.checkTitles,
    storage,
    lessonSlug: lesson.slug,
    measure,
    event: (event) => {
      if (event.type === 'load') loadProgress.take(event);
    },
    isTyping: () => editor.view.hasFocus && Date.now() - lastEdit < TYPING_PAUSE_MS,
    lastCheck: lastCheckLabel(readProgress(storage, lesson.slug), new Date()),
  });
  // The first view's copy of the last result is replaced by the live one beside Check.
  root.querySelector('[data-sbx-last-check]')?.remove();
  if (files.order.some((path) => files.current[path] !== bundle.starter[path])) {
    const at = savedAt(storage, id);
    toolbar.status.textContent = `${savedLabel(at && at.toISOString(), new Date())}. Reset brings back the starter.`;
  }
  const solutionGate = createSolutionGate({
    idBase,
    hints: manifest.hints,
    passed: () => readProgress(storage, lesson.slug).passedChecks,
    opened: checkPanel.openedHints,
    returnFocus: () => toolbar.solution.focus(),
  });
  layout.editorHost.before(solutionGate.element);
  createEditHistory({
    toolbar,
    files,
    editor,
    editorHost: layout.editorHost,
    starter: bundle.starter,
    solution: bundle.solution,
    showCode: () => selectPane(layout.paneTabs, 'code'),
    gate: solutionGate,
    // The course-complete page tells labs solved alone from labs finished after a look.
    onSolutionShown: () => recordSolutionShown(storage, lesson.slug),
  });

  const focus = createFocusMode({
    root,
    labId: id,
    idBase,
    storage,
    panels: {
      checks: layout.checksPane,
      terminal: layout.terminalPane,
      traffic: layout.topologyPane,
    },
    bar: root.querySelector<HTMLElement>('.sbx__bar') ?? root,
    toggle: root.querySelector<HTMLButtonElement>('[data-action="focus"]'),
  });
  // Last in the toolbar, after the buttons the live workspace adds.
  actions.append(focus.toggle);
  /** Results where the learner looks: the side tab in focus mode, the Checks tab on a phone. */
  const showChecks = () => {
    focus.showTab('checks');
    if (layout.paneTabs.offsetParent !== null) selectPane(layout.paneTabs, 'checks');
  };
  // Run opens focus mode on wide screens; Check opens the checks beside the code.
  toolbar.run.addEventListener('click', () => focus.enterOnRun());
  toolbar.check.addEventListener('click', () => showChecks());

  // The static view is replaced only now, so the learner never sees an empty box while loading.
  showLive();
  root.dataset['live'] = 'true';

  installShortcuts({
    root,
    editor: editor.view.contentDOM,
    toolbarStart: () => toolbar.run,
    check: () => {
      showChecks();
      void checks.run();
    },
    restart: () => void run.start(session.running ? 'Restarting…' : 'Starting…'),
  });

  const intent = takeIntent();
  const firstPath =
    intent.kind === 'open' && Object.hasOwn(files.current, intent.path)
      ? intent.path
      : (files.order[0] ?? '');
  openFile(firstPath);
  if (focused instanceof HTMLElement && focused.isConnected && document.activeElement !== focused) {
    focused.focus();
  }
  if (focus.wasOn || intent.kind === 'focus') focus.enter();
  if (intent.kind === 'run') {
    focus.enterOnRun();
    if (!startedEarly) void run.start();
  } else if (intent.kind === 'check') {
    showChecks();
    void checks.run();
  } else if (intent.kind === 'code') editor.focus();
}
