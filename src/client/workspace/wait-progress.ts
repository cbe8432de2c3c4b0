/**
 * What a long wait says about itself: a sentence naming what is happening and a value out of a
 * maximum for a progress bar. Pure, so every wording is unit-tested; the DOM side is
 * progress-bar.ts. Three waits: starting the learner's server (the runtime's boot steps, copying
 * the files, then the instances coming up), a Check run, and the kit's load generator.
 */
import type { BootProgress } from '../../runtime/index.ts';
import type { LoadEvent } from '../../sandbox/check-results.ts';
import type { CheckRunState } from './check-run.ts';
import type { TopologyState } from './topology-state.ts';

export interface ProgressReading {
  /** What the learner reads beside the bar ("Booting Node…"). */
  label: string;
  value: number;
  max: number;
  /** The bar's aria-valuetext: the same facts as one sentence ("Step 2 of 4: Booting Node"). */
  valueText: string;
}

/** Where a start is. `instances` is 0 for a lab that runs one server without a balancer. */
export type StartPhase =
  | { kind: 'boot'; progress: BootProgress }
  | { kind: 'copying'; files: number }
  | { kind: 'spawning'; up: number; instances: number };

export const START_STEPS = 4;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function bootLabel(progress: BootProgress): string {
  if (progress.step === 'loading') return 'Loading the runtime…';
  if (progress.step === 'connecting') return 'Connecting to the local runner…';
  return 'Booting Node in your browser…';
}

export function describeStart(phase: StartPhase): ProgressReading {
  let step: number;
  let label: string;
  // Each instance of a cluster counts as much as a step: they are most of the wait.
  let max = START_STEPS;
  let value: number;
  if (phase.kind === 'boot') {
    step = phase.progress.step === 'loading' ? 1 : 2;
    label = bootLabel(phase.progress);
    value = step - 1;
  } else if (phase.kind === 'copying') {
    step = 3;
    label = `Copying ${plural(phase.files, 'file', 'files')}…`;
    value = step - 1;
  } else {
    step = 4;
    value = step - 1;
    if (phase.instances > 0) {
      const up = Math.min(phase.up, phase.instances);
      label = `Starting your servers: ${up} of ${phase.instances} instances up`;
      max = START_STEPS - 1 + phase.instances;
      value += up;
    } else {
      label = 'Starting your server…';
    }
  }
  return {
    label,
    value,
    max,
    valueText: `Step ${step} of ${START_STEPS}: ${label.replace(/…$/, '')}`,
  };
}

/** How many of the balancer's instances are up, out of how many it runs. */
export function instancesUp(topology: TopologyState): { up: number; instances: number } {
  return {
    up: topology.instances.filter((i) => i.state === 'up').length,
    instances: topology.instances.length,
  };
}

/**
 * Whether a cluster's start is over, and the sentence that ends it: once no instance is still
 * starting, either some answer ("2 of 3 instances up") or every one stopped before it listened.
 * `answering`: the balancer has served the preview, so at least one instance was up.
 */
export function clusterStartEnd(state: TopologyState, answering: boolean): string | null {
  if (state.instances.some((i) => i.state === 'starting' || i.state === 'unknown')) return null;
  const { up, instances } = instancesUp(state);
  if (answering || up > 0) return `Your servers are running: ${up} of ${instances} instances up.`;
  return `None of your ${instances} instances started. The terminal shows why.`;
}

/** A Check run while it runs: which check it is on, out of how many are expected. */
export function describeChecks(state: CheckRunState): ProgressReading {
  const total = state.rows.length;
  const finished = state.rows.filter((r) => r.status !== 'waiting').length;
  if (total === 0) {
    return { label: 'Checking…', value: 0, max: 1, valueText: 'Running the checks' };
  }
  // The check under way is the one after those that reported, never past the last.
  const current = Math.min(finished + 1, total);
  return {
    label: `Checking… ${finished} of ${total}`,
    value: finished,
    max: total,
    valueText: `${finished} of ${total} checks done, running check ${current}`,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The load generator's bar: how far through its time or its request count, and requests/s. */
export function describeLoad(event: LoadEvent): ProgressReading {
  const rps = `${Math.round(event.rps)} requests/s`;
  if (event.state === 'done') {
    const summary = `Load finished: ${plural(event.requests, 'request', 'requests')} in ${seconds(event.elapsedMs)}, ${rps}`;
    const errors = event.errors > 0 ? `, ${plural(event.errors, 'error', 'errors')}` : '';
    return { label: summary + errors, value: 1, max: 1, valueText: summary + errors };
  }
  let value: number;
  let max: number;
  let far: string;
  if (event.durationMs !== null) {
    max = event.durationMs;
    value = Math.min(event.elapsedMs, max);
    far = `${seconds(value)} of ${seconds(max)}`;
  } else {
    max = event.target ?? 1;
    value = Math.min(event.requests, max);
    far = `${value} of ${max} requests`;
  }
  const errors = event.errors > 0 ? ` · ${plural(event.errors, 'error', 'errors')}` : '';
  return {
    label: `Load running: ${rps} · ${far}${errors}`,
    value,
    max,
    valueText: `${far}, ${rps}`,
  };
}
