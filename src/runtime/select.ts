/**
 * Which backend runs the learner's code. Pure: the page's facts come in as values and starting a
 * backend comes in as a function, so every branch is unit-tested without a browser.
 *
 * Order: `?runtime=` beats the learner's remembered choice, which beats `auto`. An explicit choice
 * is honoured even when it fails (its error says how to switch); only `auto` falls back.
 */
import { RuntimeError, type RuntimeChoice, type RuntimeKind } from './types.ts';
import { isGestureRequired } from './webcontainer/errors.ts';

export const RUNTIME_STORAGE_KEY = 'svs:runtime:v1';
export const RUNTIME_QUERY_PARAM = 'runtime';

export type SelectionReason =
  /** `?runtime=local|webcontainer` in the page address. */
  | 'url-override'
  /** The learner picked this backend earlier (remembered in localStorage). */
  | 'stored-choice'
  /** `auto`: the page is cross-origin isolated and WebContainer booted in time. */
  | 'auto-webcontainer'
  /** `auto`: the page isn't cross-origin isolated, so WebContainer was not tried. */
  | 'auto-local-not-isolated'
  /** `auto`: WebContainer was tried and failed (see `fallbackFrom`), the local runner answered. */
  | 'auto-local-after-webcontainer-failed';

export interface SelectionFacts {
  /** `location.search`, e.g. `?runtime=local`. */
  search: string;
  /** The raw value stored under RUNTIME_STORAGE_KEY, if any. */
  stored: string | null;
  crossOriginIsolated: boolean;
}

export interface Selection<R> {
  runtime: R;
  kind: RuntimeKind;
  reason: SelectionReason;
  /** Why WebContainer wasn't used, when `auto` fell back to local after trying it. */
  fallbackFrom?: RuntimeError;
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
    super(
      'runner-unreachable',
      'This lesson’s code can’t run in this browser right now, and the local runtime isn’t running. To run it on your computer: install Node.js 20 or newer, download the course, run `npm install` and then `npm start` in its folder, and open the address it prints.',
      { cause: attempts.at(-1) },
    );
    this.name = 'NoRuntimeAvailableError';
    this.attempts = attempts;
  }
}

export function parseRuntimeChoice(value: unknown): RuntimeChoice | null {
  return value === 'auto' || value === 'local' || value === 'webcontainer' ? value : null;
}

export interface RequestedChoice {
  choice: RuntimeChoice;
  source: 'url' | 'stored' | 'default';
}

/** What was asked for, before anything is started. Invalid values are ignored, not obeyed. */
export function requestedChoice(facts: Pick<SelectionFacts, 'search' | 'stored'>): RequestedChoice {
  const fromUrl = parseRuntimeChoice(new URLSearchParams(facts.search).get(RUNTIME_QUERY_PARAM));
  if (fromUrl) return { choice: fromUrl, source: 'url' };
  const fromStorage = parseRuntimeChoice(facts.stored);
  if (fromStorage) return { choice: fromStorage, source: 'stored' };
  return { choice: 'auto', source: 'default' };
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
  const requested = requestedChoice(facts);
  if (requested.choice !== 'auto') {
    const kind = requested.choice;
    const outcome = await attempt(start, kind);
    if ('error' in outcome) throw outcome.error;
    const reason = requested.source === 'url' ? 'url-override' : 'stored-choice';
    return { runtime: outcome.runtime, kind, reason };
  }

  if (!facts.crossOriginIsolated) {
    const local = await attempt(start, 'local');
    if ('error' in local) throw new NoRuntimeAvailableError([local.error]);
    return { runtime: local.runtime, kind: 'local', reason: 'auto-local-not-isolated' };
  }

  const inBrowser = await attempt(start, 'webcontainer');
  if ('runtime' in inBrowser) {
    return { runtime: inBrowser.runtime, kind: 'webcontainer', reason: 'auto-webcontainer' };
  }
  const local = await attempt(start, 'local');
  if ('runtime' in local) {
    return {
      runtime: local.runtime,
      kind: 'local',
      reason: 'auto-local-after-webcontainer-failed',
      fallbackFrom: inBrowser.error,
    };
  }
  // On iPhone/iPad a tap would start WebContainer: offer that rather than "run it locally".
  if (isGestureRequired(inBrowser.error)) throw inBrowser.error;
  throw new NoRuntimeAvailableError([inBrowser.error, local.error]);
}
