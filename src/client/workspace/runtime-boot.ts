/**
 * Booting the lab's runtime through the facade, with its named steps passed on. The page starts a
 * boot as soon as the workspace loads (warmRuntime), before any lab session exists; the first
 * session takes that boot over and hears the steps it missed, so a learner who presses Run while
 * Node is still booting sees which step it is on rather than a frozen button.
 */
import {
  getRuntime,
  type BootProgress,
  type RuntimeChoice,
  type RuntimeSelection,
} from '../../runtime/index.ts';
import { browserStorage } from '../storage.ts';

export type BootListener = (progress: BootProgress) => void;

/** Picks and boots a runtime (`prefer` forces one), reporting each step to `onStep`. */
export type BootRuntime = (
  prefer: RuntimeChoice | undefined,
  onStep: BootListener,
) => Promise<RuntimeSelection>;

export const bootRuntime: BootRuntime = (choice, onStep) =>
  getRuntime({ ...(choice === undefined ? {} : { choice }), onStep, storage: browserStorage() });

interface WarmBoot {
  selection: Promise<RuntimeSelection>;
  /** Filled in while it boots; the facade may name its first step before boot() returns. */
  steps: { latest: BootProgress | null; listener: BootListener | null };
}

/** A runtime started before any session exists; the first session takes it. */
let warming: WarmBoot | null = null;

/**
 * Starts choosing and booting the runtime now, on the page's own preference, so the learner's
 * first Run does not wait for it. A failure is kept for that Run to report (and then retried).
 */
export function warmRuntime(boot: BootRuntime = bootRuntime): void {
  if (warming) return;
  const steps: WarmBoot['steps'] = { latest: null, listener: null };
  const warm: WarmBoot = {
    steps,
    selection: boot(undefined, (progress) => {
      steps.latest = progress;
      steps.listener?.(progress);
    }),
  };
  warm.selection.catch(() => {});
  warming = warm;
}

/**
 * Hands the warm boot over (null if there is none): `onStep` hears the step it is on now, if it
 * is still booting, and every later one.
 */
export function takeWarmRuntime(onStep: BootListener): Promise<RuntimeSelection> | null {
  const warm = warming;
  warming = null;
  if (!warm) return null;
  warm.steps.listener = onStep;
  if (warm.steps.latest) onStep(warm.steps.latest);
  return warm.selection;
}
