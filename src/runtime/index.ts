/**
 * The runtime facade: the only module UI code imports to run a learner's code.
 *
 * Backends are loaded with dynamic `import()`, so a page only downloads the one it uses (the
 * WebContainer client is large and pointless offline). Typical use from a workspace island:
 *
 *   const { runtime, kind } = await getRuntime();          // or getRuntime({ choice: 'local' })
 *   await runtime.mount(files);
 *
 * On failure it rejects with a RuntimeError whose message says what went wrong and what to do;
 * `code` tells which backend failed, for the UI's headline and its "use the other one" button.
 */
import {
  RuntimeError,
  type BootProgress,
  type Runtime,
  type RuntimeChoice,
  type RuntimeKind,
} from './types.ts';
import {
  RUNTIME_STORAGE_KEY,
  parseRuntimeChoice,
  requestedChoice,
  selectRuntime,
  type Selection,
} from './select.ts';

export { RuntimeError } from './types.ts';
export type {
  BootProgress,
  BootStep,
  Runtime,
  RuntimeChoice,
  RuntimeKind,
  RuntimeProcess,
} from './types.ts';

export type RuntimeSelection = Selection<Runtime>;

/** The slice of `localStorage` the remembered choice needs. */
interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What the facade needs from a backend folder's index.ts. */
interface BackendModule {
  createRuntime(options?: Readonly<Record<string, unknown>>): Runtime;
}

interface GetRuntimeOptions {
  /** The learner's explicit choice; without it, `?runtime=`, then the remembered choice, then auto. */
  choice?: RuntimeChoice | undefined;
  /** Defaults to `location.search` (so `?runtime=local` works). */
  search?: string;
  /** Defaults to `globalThis.crossOriginIsolated`. */
  crossOriginIsolated?: boolean;
  /**
   * Where the learner's choice is remembered (the page passes browserStorage()). Without it the
   * remembered choice is ignored: this backend-neutral layer never touches browser storage itself.
   */
  storage?: ChoiceStorage | null;
  /** Backend options (test seams such as timeouts or an injected fetch), by backend. */
  backendOptions?: Partial<Record<RuntimeKind, Readonly<Record<string, unknown>>>>;
  /** Hears each named step of the boot (for `auto`, of every backend it tries). */
  onStep?: (progress: BootProgress) => void;
}

/**
 * Loads a backend as its own chunk. The paths go through a template literal so this neutral
 * module has no static import of either backend (Vite still bundles both).
 */
async function loadBackend(kind: RuntimeKind): Promise<BackendModule> {
  const folder = kind === 'local' ? 'local' : 'webcontainer';
  try {
    return (await import(`./${folder}/index.ts`)) as BackendModule;
  } catch (error) {
    throw new RuntimeError('failed', `This build of the course has no ${kind} runtime client.`, {
      cause: error,
    });
  }
}

function readStored(storage: ChoiceStorage | null): string | null {
  try {
    return storage?.getItem(RUNTIME_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * Picks a backend (see select.ts for the policy), boots it and returns it. Rejects with a
 * RuntimeError saying why nothing can run code here.
 */
export async function getRuntime(options: GetRuntimeOptions = {}): Promise<RuntimeSelection> {
  const storage = options.storage ?? null;
  const facts = {
    choice: options.choice,
    search: options.search ?? globalThis.location?.search ?? '',
    stored: readStored(storage),
    crossOriginIsolated: options.crossOriginIsolated ?? globalThis.crossOriginIsolated === true,
  };
  const onStep = options.onStep ?? (() => {});
  return selectRuntime(facts, async (kind) => {
    onStep({ kind, step: 'loading' });
    const backend = await loadBackend(kind);
    const runtime = backend.createRuntime(options.backendOptions?.[kind]);
    await runtime.boot(onStep);
    return runtime;
  });
}

/**
 * What the page asks for before anything runs: `?runtime=` when present, else the learner's
 * remembered choice, else `auto`.
 */
export function getPreferredRuntime(
  storage: ChoiceStorage | null,
  search: string = globalThis.location?.search ?? '',
): RuntimeChoice {
  return requestedChoice({ search, stored: readStored(storage) });
}

/** Remembers the learner's explicit choice; `auto` forgets it. Never throws (storage may be off). */
export function setPreferredRuntime(choice: RuntimeChoice, storage: ChoiceStorage | null): void {
  if (!parseRuntimeChoice(choice)) return;
  try {
    if (choice === 'auto') storage?.removeItem(RUNTIME_STORAGE_KEY);
    else storage?.setItem(RUNTIME_STORAGE_KEY, choice);
  } catch {
    /* private mode or blocked storage: the choice lasts for this page only */
  }
}
