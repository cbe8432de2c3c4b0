/**
 * Which backend runs the learner's code. Pure: the page's facts come in as values and starting a
 * backend comes in as a function, so every branch is unit-tested without a browser.
 *
 * Order: an explicit choice (the caller's, else `?runtime=`, else the learner's remembered one)
 * beats `auto`. An explicit choice is honoured even when it fails (its error says how to switch).
 *
 * `auto` asks the local runner first. Under `npm start` (or the dev server) it shares the page's
 * origin and answers in milliseconds, so a learner there never waits for WebContainer's service,
 * which may be unreachable (offline, blocked) and then costs its whole boot deadline. On a static
 * host nothing answers under /__runner/, the request fails at once, and WebContainer runs the lab.
 */
import { RuntimeError, type RuntimeChoice, type RuntimeKind } from './types.ts';

export const RUNTIME_STORAGE_KEY = 'svs:runtime:v1';
export const RUNTIME_QUERY_PARAM = 'runtime';

export type SelectionReason =
  /** The caller, `?runtime=` or the learner's remembered choice named this backend. */
  | 'explicit'
  /** `auto`: the local runner answered (the course was started with `npm start`). */
  | 'auto-local'
  /** `auto`: no local runner here, and WebContainer booted. */
  | 'auto-webcontainer';

export interface SelectionFacts {
  /** `location.search`, e.g. `?runtime=local`. */
  search: string;
  /** The raw value stored under RUNTIME_STORAGE_KEY, if any. */
  stored: string | null;
  crossOriginIsolated: boolean;
  /** The caller's own choice (the learner's switch in the UI); beats the URL and storage. */
  choice?: RuntimeChoice | undefined;
}

export interface Selection<R> {
  runtime: R;
  kind: RuntimeKind;
  reason: SelectionReason;
}

/** Creates and boots a backend; rejects with a RuntimeError saying why it can't run. */
export type StartBackend<R> = (kind: RuntimeKind) => Promise<R>;

/**
 * Neither backend can run code here. The UI turns this into the "run this lesson on your
 * computer" panel; `attempts` says what was tried, for a "details" line.
 */
export class NoRuntimeAvailableError extends RuntimeError {
  readonly attempts: readonly RuntimeError[];
  constructor(attempts: readonly RuntimeError[]) {
    const why = attempts.map((attempt) => attempt.message).join(' ');
    super(
      attempts.at(-1)?.code ?? 'failed',
      `${why} To run this lesson on your computer instead: install Node.js 20 or newer, download the course, run \`npm install\` and then \`npm start\` in its folder, and open the address it prints.`,
      { cause: attempts.at(-1) },
    );
    this.name = 'NoRuntimeAvailableError';
    this.attempts = attempts;
  }
}

export function parseRuntimeChoice(value: unknown): RuntimeChoice | null {
  return value === 'auto' || value === 'local' || value === 'webcontainer' ? value : null;
}

/** What was asked for, before anything is started. Invalid values are ignored, not obeyed. */
export function requestedChoice(
  facts: Pick<SelectionFacts, 'search' | 'stored' | 'choice'>,
): RuntimeChoice {
  return (
    facts.choice ??
    parseRuntimeChoice(new URLSearchParams(facts.search).get(RUNTIME_QUERY_PARAM)) ??
    parseRuntimeChoice(facts.stored) ??
    'auto'
  );
}

function asRuntimeError(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  return new RuntimeError('failed', `The runtime failed to start: ${String(error)}`, {
    cause: error,
  });
}

async function attempt<R>(
  start: StartBackend<R>,
  kind: RuntimeKind,
): Promise<{ runtime: R } | { error: RuntimeError }> {
  try {
    return { runtime: await start(kind) };
  } catch (error) {
    return { error: asRuntimeError(error) };
  }
}

export async function selectRuntime<R>(
  facts: SelectionFacts,
  start: StartBackend<R>,
): Promise<Selection<R>> {
  const choice = requestedChoice(facts);
  if (choice !== 'auto') {
    const outcome = await attempt(start, choice);
    if ('error' in outcome) throw outcome.error;
    return { runtime: outcome.runtime, kind: choice, reason: 'explicit' };
  }

  const local = await attempt(start, 'local');
  if ('runtime' in local) return { runtime: local.runtime, kind: 'local', reason: 'auto-local' };
  // Only a runner that is simply absent hands over; one that answered and refused (the course
  // opened at an address it does not accept) says so rather than being papered over.
  if (local.error.code !== 'runner-unreachable') throw local.error;
  if (!facts.crossOriginIsolated) {
    throw new NoRuntimeAvailableError([
      new RuntimeError(
        'not-isolated',
        'This page wasn’t served with the cross-origin isolation headers (COOP and COEP) the in-browser runtime needs.',
      ),
    ]);
  }
  const inBrowser = await attempt(start, 'webcontainer');
  if ('runtime' in inBrowser) {
    return { runtime: inBrowser.runtime, kind: 'webcontainer', reason: 'auto-webcontainer' };
  }
  throw new NoRuntimeAvailableError([inBrowser.error]);
}
