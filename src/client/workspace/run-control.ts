/**
 * Run, Stop and Restart: turns the lab session's status into what the learner sees (buttons,
 * preview, status line, traffic view) and restarts the server shortly after the learner edits.
 */
import type { Measurement, SandboxEvent } from '../../sandbox/check-results.ts';
import { findCrashLocation, type CrashLocation } from './crash-location.ts';
import { debounce } from './debounce.ts';
import type { LabFiles } from './lab-files.ts';
import type { LoadProgress } from './load-progress.ts';
import type { PreviewPane } from './preview.ts';
import type { RuntimeChoiceControl } from './runtime-choice.ts';
import type { LabSession, RunStatus, SessionEvents } from './session.ts';
import { createStartProgress } from './start-progress.ts';
import type { Toolbar } from './toolbar.ts';
import { allDown, initialTopology, reduceTopology } from './topology-state.ts';
import type { TopologyView } from './topology-view.ts';

const RESTART_DELAY_MS = 800;
/** Enough of the end of a crashed run's output to hold Node's error and stack. */
const CRASH_OUTPUT_CHARS = 8000;
const SILENT_AFTER_MS = 8000;

export interface RunControl {
  /** The session's callbacks; pass them to `new LabSession`. */
  readonly events: SessionEvents;
  start(message?: string): Promise<void>;
  /** Restarts now if a restart after an edit is waiting (Ctrl/Cmd+S). */
  restartIfPending(): void;
  /** Binds the session once it exists (it needs `events` to be built). */
  attach(session: LabSession): void;
}

export function createRunControl(options: {
  toolbar: Toolbar;
  files: LabFiles;
  preview: PreviewPane;
  topology: TopologyView | null;
  instances: number;
  runtime: () => RuntimeChoiceControl;
  terminal: { write(text: string): void; note(text: string): void };
  /** Shows the crash banner (null hides it). */
  crash(location: CrashLocation | null): void;
  /** Stores a number the Run process recorded for the learner. */
  measure(measurement: Measurement): void;
  /** Where the load generator's progress shows, when the Run process runs it. */
  load: LoadProgress;
}): RunControl {
  const { toolbar, files, preview, terminal } = options;
  const view = options.topology;
  let session: LabSession | null = null;
  let topology = initialTopology(options.instances);
  let silentTimer: ReturnType<typeof setTimeout> | undefined;
  let output = '';
  /** The server crashed: the next edit starts it again, as a running server would restart. */
  let crashed = false;

  const setRunning = (running: boolean) => {
    toolbar.setRunning(running);
    view?.setEnabled(running);
  };
  const progress = createStartProgress({
    busy: preview.view,
    instances: options.instances,
    say: (text) => (toolbar.status.textContent = text),
  });
  preview.view.append(progress.element);
  // Events can come thousands a second (a load test through the balancer): the state follows
  // each one, but the picture is drawn and flashed at most once per frame, so the page stays live.
  let paintQueued = false;
  const flashes = new Set<number | null>();
  const paint = () => {
    paintQueued = false;
    view?.render(topology);
    progress.topology(topology);
    for (const instance of flashes) view?.flash(instance);
    flashes.clear();
  };
  const drawTopology = (next: typeof topology) => {
    topology = next;
    if (paintQueued) return;
    paintQueued = true;
    requestAnimationFrame(paint);
  };
  paint();
  setRunning(false);

  const restartSoon = debounce(() => {
    if (session?.running || crashed) void start('Restarting after your edit…');
  }, RESTART_DELAY_MS);

  const status = (next: RunStatus) => {
    clearTimeout(silentTimer);
    const say = (text: string) => (toolbar.status.textContent = text);
    if (next.kind !== 'exited') crashed = false;
    if (next.kind === 'starting') {
      output = '';
      options.crash(null);
      setRunning(true);
      preview.set({ kind: 'starting' });
      silentTimer = setTimeout(() => {
        if (preview.state.kind === 'starting') {
          preview.set({ kind: 'silent', seconds: SILENT_AFTER_MS / 1000 });
        }
      }, SILENT_AFTER_MS);
    } else if (next.kind === 'running') {
      setRunning(true);
      const sentence = progress.serverUp(topology);
      if (sentence !== null) say(sentence);
    } else if (next.kind === 'stopped') {
      setRunning(false);
      preview.set({ kind: 'stopped' });
      say('Stopped.');
    } else {
      setRunning(false);
      preview.set(next.code === 0 ? { kind: 'finished' } : { kind: 'crashed', code: next.code });
      say(
        next.code === 0
          ? 'Your program finished.'
          : `Your server crashed (exit code ${next.code}). Your next edit starts it again.`,
      );
      crashed = next.code !== 0;
      if (crashed) options.crash(findCrashLocation(output, files.order));
    }
    if (next.kind === 'stopped' || next.kind === 'exited') {
      progress.cancel();
      options.load.reset();
      drawTopology(allDown(topology));
    }
  };

  const events: SessionEvents = {
    status,
    step: (step) => progress.step(step),
    output(text) {
      output = (output + text).slice(-CRASH_OUTPUT_CHARS);
      terminal.write(text);
    },
    note: (text) => terminal.note(text),
    event(event: SandboxEvent) {
      if (event.type === 'load') return options.load.take(event);
      if (event.type === 'request') flashes.add(event.instance);
      drawTopology(reduceTopology(topology, event));
    },
    measure: (measurement: Measurement) => options.measure(measurement),
    preview(url) {
      if (url !== null) preview.set({ kind: 'ready', url });
    },
    problem(message) {
      toolbar.status.textContent = message;
      terminal.note(`[${message}]`);
    },
  };

  const start = async (message = 'Starting…') => {
    if (!session) return;
    restartSoon.cancel();
    files.flush();
    toolbar.status.textContent = message;
    setRunning(true);
    progress.begin(session.bootStep);
    try {
      await options.runtime().ensure();
      drawTopology(initialTopology(options.instances));
      await session.start(files.current);
    } catch (error) {
      progress.cancel();
      options.runtime().showError(error);
    }
  };

  files.onChange(() => {
    if (session?.running || crashed) restartSoon.schedule();
  });
  toolbar.onPress(toolbar.run, () => void start());
  toolbar.onPress(toolbar.restart, () => void start('Restarting…'));
  toolbar.onPress(toolbar.stop, () => {
    restartSoon.cancel();
    void session?.stop();
  });

  return {
    events,
    start,
    restartIfPending: () => restartSoon.flush(),
    attach(next) {
      session = next;
      next.onBootStep((step) => progress.boot(step));
    },
  };
}
