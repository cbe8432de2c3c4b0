/**
 * The learner's files for one lab: the one copy every control reads. Typing saves after a short
 * pause; a whole replacement (Reset, Use solution, Undo) saves at once. Listeners hear about every
 * change, so the run restarts and old check results go out of date.
 */
import type { KeyValueStorage } from '../../utils/progress.ts';
import { debounce } from './debounce.ts';
import { loadFiles, saveFiles } from './edit-storage.ts';
import type { Files, SandboxBundle } from '../../sandbox/types.ts';

const SAVE_DELAY_MS = 300;

export type FilesChange = 'edit' | 'replace';

export interface LabFiles {
  readonly current: Files;
  /** Order the editor shows files in: the manifest's `open` list, then the rest. */
  readonly order: readonly string[];
  /** One file changed in the editor. */
  edit(path: string, text: string): void;
  /** Every file replaced at once; the caller has already updated the editor. */
  replaceAll(next: Files): void;
  /** Writes a pending save now (before a run, or when the page goes away). */
  flush(): void;
  onChange(listener: (change: FilesChange) => void): void;
}

export function createLabFiles(options: {
  storage: KeyValueStorage;
  sandboxId: string;
  starter: Files;
  open: readonly string[];
}): LabFiles {
  const { storage, sandboxId, starter } = options;
  let files = loadFiles(storage, sandboxId, starter);
  const listeners: ((change: FilesChange) => void)[] = [];
  const save = debounce(() => saveFiles(storage, sandboxId, starter, files), SAVE_DELAY_MS);
  const order = [
    ...options.open,
    ...Object.keys(starter).filter((path) => !options.open.includes(path)),
  ];
  const changed = (change: FilesChange) => {
    for (const listener of listeners) listener(change);
  };
  return {
    get current() {
      return files;
    },
    order,
    edit(path, text) {
      if (files[path] === text) return;
      files = { ...files, [path]: text };
      save.schedule();
      changed('edit');
    },
    replaceAll(next) {
      files = { ...next };
      save.cancel();
      saveFiles(storage, sandboxId, starter, files);
      changed('replace');
    },
    flush: () => save.flush(),
    onChange(listener) {
      listeners.push(listener);
    },
  };
}

/** The lab's files, manifest and check titles, as the build wrote them for this page. */
export async function fetchLabBundle(root: HTMLElement, id: string): Promise<SandboxBundle> {
  const response = await fetch(root.dataset['bundleUrl'] ?? `/sandboxes/${id}.json`);
  if (!response.ok) throw new Error(`Could not load the lab files (HTTP ${response.status}).`);
  return (await response.json()) as SandboxBundle;
}
