/**
 * Reset, Show solution / Use solution, and the one-step Undo that brings back the learner's code
 * after either. Whole-lab replacements go through here so the editor and the saved copy agree.
 */
import type { CodeEditor } from './editor.ts';
import type { LabFiles } from './lab-files.ts';
import type { Files } from '../../sandbox/types.ts';
import type { SolutionGate } from './solution-gate.ts';
import type { SolutionView, createSolutionView } from './solution-view.ts';
import type { Toolbar } from './toolbar.ts';

export interface EditHistory {
  /** Closes the solution view if it is open. */
  closeSolution(): void;
}

export function createEditHistory(options: {
  toolbar: Toolbar;
  files: LabFiles;
  editor: CodeEditor;
  editorHost: HTMLElement;
  starter: Files;
  solution: Files;
  /** Shows the code pane (the phone layout may be on another tab). */
  showCode(): void;
  /** Called each time the learner opens the solution (progress records the first time). */
  onSolutionShown?: () => void;
  /** Offers unread hints before the solution opens. */
  gate?: SolutionGate;
  /** Imports the diff view; a parameter so a failed download can be tested. */
  loadSolutionView?: () => Promise<{ createSolutionView: typeof createSolutionView }>;
}): EditHistory {
  const { toolbar, files, editor } = options;
  const say = (text: string) => (toolbar.status.textContent = text);
  let undoSnapshot: Files | null = null;

  const replaceAll = (next: Files) => {
    for (const path of files.order) {
      const text = next[path];
      if (text !== undefined && text !== files.current[path]) editor.replace(path, text);
    }
    files.replaceAll(next);
  };
  const offerUndo = (label: string) => {
    undoSnapshot = { ...files.current };
    toolbar.undo.hidden = false;
    toolbar.undo.setAttribute('aria-description', label);
  };

  toolbar.undo.addEventListener('click', () => {
    if (!undoSnapshot) return;
    replaceAll(undoSnapshot);
    undoSnapshot = null;
    toolbar.undo.hidden = true;
    say('Your previous code is back.');
    toolbar.reset.focus();
  });

  toolbar.reset.addEventListener('click', () => {
    if (!files.order.some((p) => files.current[p] !== options.starter[p])) {
      say('Your files already match the starter.');
      return;
    }
    if (!window.confirm('Reset every file to the starter code? You can undo this once.')) return;
    offerUndo('Bring back the code you had before Reset');
    replaceAll({ ...options.starter });
    say('Files reset to the starter. Undo brings your code back.');
  });

  const solutionButton = toolbar.solution;
  let view: SolutionView | null = null;
  let loading = false;
  const closeSolution = () => {
    view?.destroy();
    view?.element.remove();
    view = null;
    options.editorHost.hidden = false;
    solutionButton.textContent = 'Show solution';
    solutionButton.setAttribute('aria-expanded', 'false');
  };
  const useSolution = () => {
    offerUndo('Bring back your code from before Use solution');
    const next = { ...files.current };
    for (const path of files.order) {
      const text = options.solution[path];
      if (text !== undefined) next[path] = text;
    }
    closeSolution();
    replaceAll(next);
    say('The solution is in the editor. Undo brings your code back.');
    toolbar.undo.focus();
  };
  const load = options.loadSolutionView ?? (() => import('./solution-view.ts'));

  solutionButton.addEventListener('click', () => {
    if (view) {
      closeSolution();
      return;
    }
    // A second press while the hints are offered closes the offer, as it would close the view.
    if (options.gate?.close()) return;
    if (loading) return;
    options.showCode();
    if (options.gate?.ask(() => void openSolution())) return;
    void openSolution();
  });

  const openSolution = async () => {
    if (view || loading) return;
    options.onSolutionShown?.();
    options.showCode();
    // The diff view is only for learners who ask for it, so it is its own chunk.
    loading = true;
    try {
      const { createSolutionView } = await load();
      view = await createSolutionView({
        learner: files.current,
        solution: options.solution,
        order: files.order,
        initialPath: editor.path,
        onUse: useSolution,
        onClose() {
          closeSolution();
          solutionButton.focus();
        },
      });
    } catch (error) {
      say(
        `The solution could not load (${(error as Error).message}). Check your connection and press Show solution again.`,
      );
      return;
    } finally {
      loading = false;
    }
    options.editorHost.hidden = true;
    options.editorHost.after(view.element);
    solutionButton.setAttribute('aria-expanded', 'true');
  };

  return { closeSolution };
}
