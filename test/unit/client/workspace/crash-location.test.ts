import { describe, expect, it } from 'vitest';
import { findCrashLocation } from '../../../../src/client/workspace/crash-location.ts';

describe('where the server crashed', () => {
  it('reads a syntax error, which Node reports file and line first', () => {
    const output = [
      '/tmp/svs-abc/server.js:15',
      '  res.end(;',
      '          ^',
      '',
      "SyntaxError: Unexpected token ';'",
      '    at compileSourceTextModule (node:internal/modules/esm/utils:340:16)',
    ].join('\n');
    expect(findCrashLocation(output, ['server.js'])).toEqual({
      kind: 'SyntaxError',
      path: 'server.js',
      line: 15,
    });
  });

  it('reads the first learner frame of a thrown error, past the kit and node internals', () => {
    const output = [
      'file:///tmp/svs-abc/lib/store.js:8',
      '    throw new TypeError("no store");',
      'TypeError: no store',
      '    at load (file:///tmp/svs-abc/_kit/store-client.mjs:3:9)',
      '    at file:///tmp/svs-abc/lib/store.js:8:11',
    ].join('\n');
    expect(findCrashLocation(output, ['server.js', 'lib/store.js'])).toEqual({
      kind: 'TypeError',
      path: 'lib/store.js',
      line: 8,
    });
  });

  it('gives nothing when no learner file is named', () => {
    expect(
      findCrashLocation('Error: listen EADDRINUSE\n    at node:net:1:1', ['server.js']),
    ).toBeNull();
  });
});
