/**
 * How a lab's saved edits look in storage. Both the first view's loader (which shows them before
 * the editor has loaded) and edit-storage.ts (which reads and writes them) go through this file, so
 * the two can never disagree about the key or the shape. It ships on every lesson's first view:
 * keep it tiny.
 */
import type { KeyValueStorage } from '../../utils/progress.ts';

export const EDITS_PREFIX = 'svs:edits:v1:';

export interface SavedEdits {
  /** Only the files that differed from the starter when they were saved. */
  files: Record<string, string>;
  /** ISO time of the last save; null for entries written before saves were dated. */
  savedAt: string | null;
}

export const editsKey = (sandboxId: string): string => EDITS_PREFIX + sandboxId;

/** Accepts only what saveFiles could have written; anything else is null. */
export function parseSavedEdits(raw: string): SavedEdits | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const files = (value as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return null;
  if (!Object.values(files).every((text) => typeof text === 'string')) return null;
  const savedAt = (value as { savedAt?: unknown }).savedAt;
  return {
    files: files as Record<string, string>,
    savedAt: typeof savedAt === 'string' && !Number.isNaN(Date.parse(savedAt)) ? savedAt : null,
  };
}

/** The lab's saved edits, or null when there are none or they cannot be read. */
export function readSavedEdits(storage: KeyValueStorage, sandboxId: string): SavedEdits | null {
  try {
    const raw = storage.getItem(editsKey(sandboxId));
    return raw === null ? null : parseSavedEdits(raw);
  } catch {
    return null;
  }
}
