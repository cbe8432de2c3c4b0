import { describe, expect, it } from 'vitest';
import { saveFiles } from '../../../../src/client/workspace/edit-storage.ts';
import {
  EDITS_PREFIX,
  parseSavedEdits,
  readSavedEdits,
} from '../../../../src/client/workspace/saved-edits.ts';
import { memoryStorage } from '../../../helpers/memory-storage.ts';

const starter = { 'server.js': 'starter', 'page.html': '<p>hi</p>' };

describe('saved edits as the first view reads them', () => {
  it('reads back what the editor saved, with the time it was saved', () => {
    const storage = memoryStorage();
    saveFiles(storage, 'lab', starter, { ...starter, 'server.js': 'mine' }, new Date(0));
    expect(readSavedEdits(storage, 'lab')).toEqual({
      files: { 'server.js': 'mine' },
      savedAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it('reads entries saved before saves were dated, without a time', () => {
    expect(parseSavedEdits(JSON.stringify({ files: { 'a.js': 'x' } }))).toEqual({
      files: { 'a.js': 'x' },
      savedAt: null,
    });
    expect(parseSavedEdits(JSON.stringify({ files: {}, savedAt: 'whenever' }))?.savedAt).toBeNull();
  });

  it.each([
    ['not JSON', '{oops'],
    ['null', 'null'],
    ['a number', '42'],
    ['files as a list', '{"files":["a"]}'],
    ['a non-text file', '{"files":{"server.js":7}}'],
  ])('ignores a corrupt entry (%s)', (_name, raw) => {
    expect(parseSavedEdits(raw)).toBeNull();
    expect(readSavedEdits(memoryStorage({ [`${EDITS_PREFIX}lab`]: raw }), 'lab')).toBeNull();
  });

  it('gives nothing for a lab without edits or when storage throws', () => {
    expect(readSavedEdits(memoryStorage(), 'lab')).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
      length: 0,
      key: () => null,
    };
    expect(readSavedEdits(throwing, 'lab')).toBeNull();
  });
});
