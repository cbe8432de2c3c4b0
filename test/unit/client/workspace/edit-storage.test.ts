import { describe, expect, it } from 'vitest';
import {
  EDITS_PREFIX,
  hasSavedEdits,
  loadFiles,
  saveFiles,
} from '../../../../src/client/workspace/edit-storage.ts';
import { memoryStorage } from '../../../helpers/memory-storage.ts';

const starter = { 'server.js': 'starter server', 'page.html': '<p>hi</p>' };

describe('saved edits', () => {
  it('gives the starter when nothing was saved', () => {
    expect(loadFiles(memoryStorage(), 'lab', starter)).toEqual(starter);
  });

  it('brings back an edit after a reload, keeping untouched files from the starter', () => {
    const storage = memoryStorage();
    saveFiles(storage, 'lab', starter, { ...starter, 'server.js': 'my server' });
    const updatedStarter = { ...starter, 'page.html': '<p>new course text</p>' };
    expect(loadFiles(storage, 'lab', updatedStarter)).toEqual({
      'server.js': 'my server',
      'page.html': '<p>new course text</p>',
    });
  });

  it('keeps each sandbox separate', () => {
    const storage = memoryStorage();
    saveFiles(storage, 'lab-a', starter, { ...starter, 'server.js': 'a' });
    expect(loadFiles(storage, 'lab-b', starter)).toEqual(starter);
  });

  it('removes the entry when the files match the starter again', () => {
    const storage = memoryStorage();
    saveFiles(storage, 'lab', starter, { ...starter, 'server.js': 'x' });
    expect(hasSavedEdits(storage, 'lab')).toBe(true);
    saveFiles(storage, 'lab', starter, { ...starter });
    expect(hasSavedEdits(storage, 'lab')).toBe(false);
  });

  it.each([
    ['not JSON', '{oops'],
    ['a number', '42'],
    ['files not an object', '{"files":[1,2]}'],
    ['a non-text file', '{"files":{"server.js":7}}'],
  ])('starts clean and drops a corrupt entry (%s)', (_name, raw) => {
    const storage = memoryStorage({ [`${EDITS_PREFIX}lab`]: raw, 'other-key': 'kept' });
    expect(loadFiles(storage, 'lab', starter)).toEqual(starter);
    expect(storage.entries.has(`${EDITS_PREFIX}lab`)).toBe(false);
    expect(storage.entries.get('other-key')).toBe('kept');
  });

  it('ignores saved paths the starter no longer has', () => {
    const storage = memoryStorage({
      [`${EDITS_PREFIX}lab`]: JSON.stringify({ files: { 'gone.js': 'x', 'server.js': 'mine' } }),
    });
    expect(loadFiles(storage, 'lab', starter)).toEqual({ ...starter, 'server.js': 'mine' });
  });

  it('survives storage that throws (private mode)', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
      length: 0,
      key: () => null,
    };
    expect(loadFiles(throwing, 'lab', starter)).toEqual(starter);
    expect(() =>
      saveFiles(throwing, 'lab', starter, { ...starter, 'server.js': 'y' }),
    ).not.toThrow();
  });
});
