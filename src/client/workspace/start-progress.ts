/**
 * Progress of a Run, from the button press until the learner's server answers: the runtime's
 * boot steps (when it is not up yet), copying the files, then starting the server, counted
 * instance by instance for a lab behind the kit's balancer ("2 of 3 instances up").
 *
 * For a cluster the preview appears as soon as one instance is up; the start is over only when no
 * instance is still starting, and only then is the end announced (once), with how many came up.
 */
import type { BootProgress } from '../../runtime/index.ts';
import { createProgressBar, type ProgressBar } from './progress-bar.ts';
import type { StartStep } from './session.ts';
import type { TopologyState } from './topology-state.ts';
import { clusterStartEnd, describeStart, instancesUp, type StartPhase } from './wait-progress.ts';

export interface StartProgress {
  readonly element: HTMLElement;
  /** Run was pressed. `booting` is the runtime's boot step if it is still booting. */
  begin(booting: BootProgress | null): void;
  boot(progress: BootProgress): void;
  step(step: StartStep): void;
  /** The balancer's latest picture; counts instances while the servers start. */
  topology(state: TopologyState): void;
  /**
   * The server answers (the preview is up). Returns the sentence that ends the wait, or null
   * while instances are still starting (it is then returned by a later topology() call's end).
   */
  serverUp(state: TopologyState): string | null;
  /** The start ended some other way (stopped, crashed, no runtime). */
  cancel(): void;
}

export const RUNNING_SENTENCE = 'Your server is running.';

export function createStartProgress(options: {
  /** The preview's view: the bar sits over it, and it is busy while the server starts. */
  busy: HTMLElement;
  /** Instances behind the balancer; 0 for a single server. */
  instances: number;
  /** Announces the end of the start (the status line). */
  say(text: string): void;
}): StartProgress {
  const bar: ProgressBar = createProgressBar({
    name: 'Starting your server',
    busy: options.busy,
    className: 'ws-progress--start',
  });
  let starting = false;
  let serverAnswers = false;
  let phase: StartPhase | null = null;

  const draw = (next: StartPhase) => {
    phase = next;
    if (starting) bar.show(describeStart(next));
  };
  const end = (sentence: string) => {
    starting = false;
    bar.hide();
    return sentence;
  };

  return {
    element: bar.element,
    begin(booting) {
      starting = true;
      serverAnswers = false;
      phase = null;
      // A runtime that is up already skips to copying the files, a moment later.
      if (booting) draw({ kind: 'boot', progress: booting });
    },
    boot(progress) {
      if (starting) draw({ kind: 'boot', progress });
    },
    step(step) {
      if (!starting) return;
      if (step.kind === 'copying') draw({ kind: 'copying', files: step.files });
      else draw({ kind: 'spawning', up: 0, instances: options.instances });
    },
    topology(state) {
      if (!starting || phase?.kind !== 'spawning' || options.instances === 0) return;
      draw({ kind: 'spawning', ...instancesUp(state) });
      const sentence = clusterStartEnd(state, serverAnswers);
      if (sentence !== null) options.say(end(sentence));
    },
    serverUp(state) {
      if (!starting) return RUNNING_SENTENCE;
      serverAnswers = true;
      if (options.instances === 0) return end(RUNNING_SENTENCE);
      const sentence = clusterStartEnd(state, true);
      if (sentence !== null) return end(sentence);
      draw({ kind: 'spawning', ...instancesUp(state) });
      return null;
    },
    cancel() {
      starting = false;
      bar.hide();
    },
  };
}
