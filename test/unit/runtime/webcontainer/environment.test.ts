import { describe, expect, it } from 'vitest';
import { readBrowserFacts } from '../../../../src/runtime/webcontainer/environment.ts';

describe('readBrowserFacts', () => {
  it('reads isolation, SharedArrayBuffer and the navigator from the globals it is given', () => {
    const facts = readBrowserFacts({
      crossOriginIsolated: true,
      SharedArrayBuffer,
      WebAssembly,
      navigator: { onLine: false, cookieEnabled: false },
    });
    expect(facts).toEqual({
      crossOriginIsolated: true,
      hasSharedArrayBuffer: true,
      hasWebAssembly: true,
      onLine: false,
      cookieEnabled: false,
    });
  });
  it('treats a browser without the isolation flag as not knowing about it', () => {
    const facts = readBrowserFacts({ navigator: {} });
    expect(facts.crossOriginIsolated).toBeUndefined();
    expect(facts.hasSharedArrayBuffer).toBe(false);
    expect(facts.onLine).toBe(true);
  });
});
