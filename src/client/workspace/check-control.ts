/**
 * The Check button: runs every check in the lab's runtime, fills the check panel in as results
 * arrive, and records the run as the lesson's progress.
 */
import type { Measurement, SandboxEvent } from '../../sandbox/check-results.ts';
import type { KeyValueStorage } from '../../utils/progress.ts';
import { PROGRESS_EVENT, recordCheckRun } from '../../utils/progress.ts';
import type { CheckPanel } from './check-panel.ts';
import {
  applyCheckResult,
  finishCheckRun,
  passedTitles,
  startCheckRun,
  type CheckRunState,
} from './check-run.ts';
import type { LabFiles } from './lab-files.ts';
import { createProgressBar } from './progress-bar.ts';
import type { RuntimeChoiceControl } from './runtime-choice.ts';
import type { LabSession } from './session.ts';
import { setUsable, type Toolbar } from './toolbar.ts';
import { describeChecks, describeStart } from './wait-progress.ts';

const CHECK_DEADLINE_MS = 60_000;

export interface CheckControl {
  run(): Promise<void>;
}

export function createCheckControl(options: {
  toolbar: Toolbar;
  panel: CheckPanel;
  files: LabFiles;
  session: LabSession;
  runtime: RuntimeChoiceControl;
  checkTitles: readonly string[];
  storage: KeyValueStorage;
  lessonSlug: string;
  /** Stores a number the checks recorded for the learner. */
  measure: (measurement: Measurement) => void;
  /** An event line a check printed (the load generator's progress). */
  event?: (event: SandboxEvent) => void;
  /** True while the learner is typing in the editor: then the page must not scroll away. */
  isTyping(): boolean;
  /** How the previous visit's last run went, shown beside Check until this visit's first run. */
  lastCheck?: { text: string; state: string } | null;
}): CheckControl {
  const { toolbar, panel, files, session } = options;
  let checking = false;
  let shown: CheckRunState | null = null;
  // Silent beside the summary; the check panel announces the start and the result once each.
  const bar = createProgressBar({
    name: 'Check progress',
    busy: panel.element,
    className: 'ws-progress--checks',
  });
  toolbar.checkSummary.after(bar.element);

  const summarise = (state: CheckRunState) => {
    const total = state.rows.length;
    const passed = state.rows.filter((r) => r.status === 'pass').length;
    const finished = state.rows.filter((r) => r.status !== 'waiting').length;
    const line = toolbar.checkSummary;
    if (state.phase === 'running') {
      line.textContent = total > 0 ? `Checking… ${finished} of ${total}` : 'Checking…';
      line.dataset['state'] = 'running';
      bar.show(describeChecks(state));
    } else {
      bar.hide();
      line.textContent = total > 0 ? `${passed} of ${total} pass` : 'Checks could not run';
      line.dataset['state'] = total > 0 && passed === total ? 'pass' : 'fail';
    }
  };

  // A result from an earlier visit goes out of date on the first edit, like this visit's would.
  let showingLast = false;
  if (options.lastCheck) {
    toolbar.checkSummary.textContent = options.lastCheck.text;
    toolbar.checkSummary.dataset['state'] = options.lastCheck.state;
    showingLast = true;
  }

  let changedDuringRun = false;
  const markStale = () => {
    panel.markStale();
    toolbar.checkSummary.textContent = 'Out of date: press Check';
    toolbar.checkSummary.dataset['state'] = 'stale';
  };
  files.onChange(() => {
    if (checking) changedDuringRun = true;
    else if (shown !== null || showingLast) markStale();
  });

  /** The first failure and its hint, in view inside the lab; never while the learner types. */
  const revealFirstFailure = () => {
    const row = panel.firstFailure();
    if (!row || options.isTyping()) return;
    row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };

  const busy = (on: boolean) => {
    checking = on;
    setUsable(toolbar.check, !on);
    if (on) toolbar.check.setAttribute('aria-busy', 'true');
    else toolbar.check.removeAttribute('aria-busy');
  };

  const run = async () => {
    if (checking) return;
    busy(true);
    changedDuringRun = false;
    files.flush();
    let state: CheckRunState = startCheckRun(options.checkTitles);
    const show = (next: CheckRunState) => {
      state = next;
      shown = next;
      panel.render(state);
      summarise(state);
    };
    show(state);
    // A runtime still booting says which step it is on, in place of the count.
    const sayBoot = (step: Parameters<Parameters<LabSession['onBootStep']>[0]>[0]) => {
      toolbar.checkSummary.textContent = describeStart({ kind: 'boot', progress: step }).label;
    };
    if (session.bootStep) sayBoot(session.bootStep);
    const stopHearingBoot = session.onBootStep(sayBoot);
    try {
      await options.runtime.ensure();
    } catch {
      stopHearingBoot();
      show(finishCheckRun(state, { kind: 'failed', message: 'no runtime is available.' }));
      busy(false);
      return;
    }
    stopHearingBoot();
    summarise(state);
    const outcome = await session.check(files.current, CHECK_DEADLINE_MS, {
      result: (result) => show(applyCheckResult(state, result)),
      measure: options.measure,
      ...(options.event ? { event: options.event } : {}),
    });
    show(
      finishCheckRun(
        state,
        outcome.kind === 'exited'
          ? { kind: 'exited', code: outcome.code, complete: outcome.summary }
          : outcome.kind === 'deadline'
            ? { kind: 'deadline', seconds: CHECK_DEADLINE_MS / 1000 }
            : outcome,
      ),
    );
    revealFirstFailure();
    if (outcome.kind !== 'failed') {
      recordCheckRun(options.storage, options.lessonSlug, passedTitles(state), state.rows.length);
      window.dispatchEvent(
        new CustomEvent(PROGRESS_EVENT, { detail: { lesson: options.lessonSlug } }),
      );
    }
    busy(false);
    // The results are for the code as it was when Check was pressed.
    if (changedDuringRun) markStale();
  };

  toolbar.check.addEventListener('click', () => void run());
  return { run };
}
