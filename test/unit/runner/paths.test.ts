import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/runner/limits.ts';
import { pathProblem, treeProblem } from '../../../src/runner/paths.ts';

describe('sandbox path validation', () => {
  it.each([
    ['../x', 'contains . or ..'],
    ['a/../../x', 'contains . or ..'],
    ['/etc/x', 'absolute'],
    ['C:\\x', 'backslash'],
    ['C:/x', 'drive letter'],
    ['..\\x', 'backslash'],
    ['a\u0000b', 'NUL'],
    ['con.txt', 'reserved'],
    ['lib/AUX', 'reserved'],
    ['a//b', 'empty folder name'],
    ['a/', 'empty folder name'],
    ['notes.', 'ends with a dot'],
    ['file:stream', 'forbidden character'],
    [Array.from({ length: 20 }, () => 'd').join('/'), 'deeper'],
    ['COM\u00b9.js', 'reserved'],
    ['\u00e9'.repeat(200), 'longer than 255 bytes'],
  ])('refuses %j (%s)', (path, reason) => {
    expect(pathProblem(path, DEFAULT_LIMITS)).toContain(reason);
  });

  it.each(['server.js', 'lib/store.js', '_kit/balancer.mjs', 'checks/01.test.mjs', '.env'])(
    'accepts %j',
    (path) => {
      expect(pathProblem(path, DEFAULT_LIMITS)).toBeNull();
    },
  );

  it('refuses a batch with too many files or a too large file', () => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}.js`, '']));
    expect(treeProblem(many, DEFAULT_LIMITS)).toContain('too many files');
    expect(treeProblem({ 'big.js': 'x'.repeat(10 * 1024 * 1024) }, DEFAULT_LIMITS)).toContain(
      'larger than',
    );
  });

  it('refuses a batch where a name is both a file and a folder, or contents are not text', () => {
    expect(treeProblem({ a: '', 'a/b': '' }, DEFAULT_LIMITS)).toContain('both a file and a folder');
    expect(treeProblem({ a: 42 }, DEFAULT_LIMITS)).toContain('must be text');
  });

  it('refuses a batch whose names collide on a case- or accent-insensitive disk', () => {
    expect(treeProblem({ 'App.js': '', 'app.js': '' }, DEFAULT_LIMITS)).toContain('letter case');
    expect(treeProblem({ 'Lib/a.js': '', 'lib/b.js': '' }, DEFAULT_LIMITS)).toContain(
      'letter case',
    );
    expect(treeProblem({ 'caf\u00e9.js': '', 'cafe\u0301.js': '' }, DEFAULT_LIMITS)).toContain(
      'accents',
    );
    expect(treeProblem({ 'lib/a.js': '', 'lib/b.js': '', 'a.js': '' }, DEFAULT_LIMITS)).toBeNull();
  });
});
