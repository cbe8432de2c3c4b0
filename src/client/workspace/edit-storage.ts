/**
 * The learner's edits, one localStorage entry per sandbox under a versioned key. Only files that
 * differ from the starter are stored, so a course update to an untouched file reaches the learner.
 * A corrupt or foreign entry is dropped and the learner starts from the starter: a broken entry
 * must never break the page.
 */
import type { KeyValueStorage } from '../../utils/progress.ts';
import { editsKey, parseSavedEdits, readSavedEdits } from './saved-edits.ts';

export { EDITS_PREFIX } from './saved-edits.ts';

type Files = Record<string, string>;

/**
 * The learner's current files: the starter with their saved edits laid over it. Edits to paths the
 * starter no longer has are ignored (the learner can't see or run them).
 */
export function loadFiles(storage: KeyValueStorage, sandboxId: string, starter: Files): Files {
  let raw: string | null = null;
  try {
    raw = storage.getItem(editsKey(sandboxId));
  } catch {
    return { ...starter };
  }
  if (raw === null) return { ...starter };
  const edits = parseSavedEdits(raw)?.files ?? null;
  if (edits === null) {
    try {
      storage.removeItem(editsKey(sandboxId));
    } catch {
      /* read-only storage: we still start clean in memory */
    }
    return { ...starter };
  }
  const files = { ...starter };
  for (const [path, text] of Object.entries(edits)) {
    if (Object.hasOwn(starter, path)) files[path] = text;
  }
  return files;
}

/**
 * Stores whichever of `files` differ from the starter, dated so the first view can say when; no
 * differences means no entry at all.
 */
export function saveFiles(
  storage: KeyValueStorage,
  sandboxId: string,
  starter: Files,
  files: Files,
  now: Date = new Date(),
): void {
  const changed: Files = {};
  for (const [path, text] of Object.entries(files)) {
    if (Object.hasOwn(starter, path) && starter[path] !== text) changed[path] = text;
  }
  try {
    if (Object.keys(changed).length === 0) storage.removeItem(editsKey(sandboxId));
    else
      storage.setItem(
        editsKey(sandboxId),
        JSON.stringify({ files: changed, savedAt: now.toISOString() }),
      );
  } catch {
    /* quota or private mode: the edit still lives in the editor for this visit */
  }
}

/** When the lab's edits were last saved (null: none saved, or saved before saves were dated). */
export function savedAt(storage: KeyValueStorage, sandboxId: string): Date | null {
  const at = readSavedEdits(storage, sandboxId)?.savedAt;
  return at ? new Date(at) : null;
}

export function hasSavedEdits(storage: KeyValueStorage, sandboxId: string): boolean {
  try {
    return storage.getItem(editsKey(sandboxId)) !== null;
  } catch {
    return false;
  }
}
