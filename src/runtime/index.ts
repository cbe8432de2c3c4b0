/**
 * The runtime facade: the only module UI code imports to run a learner's code.
 *
 * Backends are loaded with dynamic `import()`, so a page only downloads the one it uses (the
 * WebContainer client is large and pointless offline).
 *
 * Typical use from a workspace island:
 *
 *   const { runtime, kind, reason } = await getRuntime();
 *   await runtime.mount(files);
 *
 * and on failure: `isGestureRequired(error)` → show a "Start the runtime" button whose click
 * handler calls `getRuntime({ userGesture: true })` first thing; `error instanceof
 * NoRuntimeAvailableError` → show how to run the lesson locally; otherwise show `error.message`
 * with a switch to the other backend (`setPreferredRuntime('local')`, then `getRuntime()` again).
 */
import { RuntimeError, type Runtime, type RuntimeChoice, type RuntimeKind } from './types.ts';
import {
  RUNTIME_STORAGE_KEY,
  parseRuntimeChoice,
  selectRuntime,
  type Selection,
} from './select.ts';
import type { WebContainerRuntimeOptions } from './webcontainer/runtime.ts';

export { RuntimeError } from './types.ts';
export type {
  FileTree,
  Runtime,
  RuntimeChoice,
  RuntimeErrorCode,
  RuntimeKind,
  RuntimeProcess,
  ServerReadyEvent,
  SpawnOptions,
} from './types.ts';
export { GestureRequiredError, isGestureRequired } from './webcontainer/errors.ts';
export {
  NoRuntimeAvailableError,
  RUNTIME_QUERY_PARAM,
  RUNTIME_STORAGE_KEY,
  type SelectionReason,
} from './select.ts';
export type { WebContainerRuntimeOptions } from './webcontainer/runtime.ts';

/** Options for the local backend; their shape belongs to src/runtime/local/. */
export type LocalRuntimeOptions = Readonly<Record<string, unknown>>;

/** What the facade needs from src/runtime/local/index.ts. */
interface LocalBackendModule {
  createLocalRuntime(options?: LocalRuntimeOptions): Runtime;
}

/**
 * Loads src/runtime/local/index.ts as its own chunk. The file name goes through a template literal
 * so the type-check doesn't depend on that module's exact types (Vite still bundles it).
 */
async function loadLocalBackend(): Promise<LocalBackendModule> {
  const entry = 'index';
  try {
    return (await import(`./local/${entry}.ts`)) as LocalBackendModule;
  } catch (error) {
    throw new RuntimeError('failed', 'This build of the course has no local runtime client.', {
      cause: error,
    });
  }
}

/** The slice of `localStorage` the remembered choice needs. */
export interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface GetRuntimeOptions {
  /** Defaults to `location.search` (so `?runtime=local` works). */
  search?: string;
  /** Defaults to `globalThis.crossOriginIsolated`. */
  crossOriginIsolated?: boolean;
  /** Where the learner's choice is remembered; defaults to `localStorage` (null: don't use any). */
  storage?: ChoiceStorage | null;
  /**
   * Set when called from a tap or click handler: lets WebContainer boot on iPhone and iPad.
   * Call `getRuntime` first thing in the handler, before any other `await`.
   */
  userGesture?: boolean;
  webcontainer?: WebContainerRuntimeOptions;
  local?: LocalRuntimeOptions;
}

export type RuntimeSelection = Selection<Runtime>;

function defaultStorage(): ChoiceStorage | null {
  try {
    // Reading the property itself throws where the browser blocks storage.
    return (globalThis as { localStorage?: ChoiceStorage }).localStorage ?? null;
  } catch {
    return null;
  }
}

function readStored(storage: ChoiceStorage | null): string | null {
  try {
    return storage?.getItem(RUNTIME_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Creates a backend without booting it. */
export async function createRuntime(
  kind: RuntimeKind,
  options: Pick<GetRuntimeOptions, 'userGesture' | 'webcontainer' | 'local'> = {},
): Promise<Runtime> {
  if (kind === 'webcontainer') {
    const backend = await import('./webcontainer/index.ts');
    if (options.userGesture) backend.grantUserGesture();
    return backend.createWebContainerRuntime(options.webcontainer);
  }
  const backend = await loadLocalBackend();
  return backend.createLocalRuntime(options.local);
}

/**
 * Picks a backend (see select.ts for the policy), boots it and returns it. Rejects with a
 * RuntimeError: `NoRuntimeAvailableError` when nothing can run code here.
 */
export async function getRuntime(options: GetRuntimeOptions = {}): Promise<RuntimeSelection> {
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const facts = {
    search: options.search ?? globalThis.location?.search ?? '',
    stored: readStored(storage),
    crossOriginIsolated: options.crossOriginIsolated ?? globalThis.crossOriginIsolated === true,
  };
  return selectRuntime(facts, async (kind) => {
    const runtime = await createRuntime(kind, options);
    await runtime.boot();
    return runtime;
  });
}

/** The learner's remembered choice (`auto` when none, or when the stored value is not ours). */
export function getPreferredRuntime(
  storage: ChoiceStorage | null = defaultStorage(),
): RuntimeChoice {
  return parseRuntimeChoice(readStored(storage)) ?? 'auto';
}

/** Remembers the learner's explicit choice; `auto` forgets it. Never throws (storage may be off). */
export function setPreferredRuntime(
  choice: RuntimeChoice,
  storage: ChoiceStorage | null = defaultStorage(),
): void {
  try {
    if (choice === 'auto') storage?.removeItem(RUNTIME_STORAGE_KEY);
    else storage?.setItem(RUNTIME_STORAGE_KEY, choice);
  } catch {
    /* private mode or blocked storage: the choice lasts for this page only */
  }
}
