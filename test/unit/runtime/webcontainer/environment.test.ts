import { describe, expect, it } from 'vitest';
import { detectIOS, readBrowserFacts } from '../../../../src/runtime/webcontainer/environment.ts';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const MAC_SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

describe('detectIOS', () => {
  it('recognises an iPhone', () => {
    expect(detectIOS({ userAgent: IPHONE, maxTouchPoints: 5 })).toBe(true);
  });
  it('recognises an iPad that sends a desktop Mac user agent, by its touch screen', () => {
    expect(detectIOS({ userAgent: MAC_SAFARI, platform: 'MacIntel', maxTouchPoints: 5 })).toBe(
      true,
    );
  });
  it('leaves a real Mac alone', () => {
    expect(detectIOS({ userAgent: MAC_SAFARI, platform: 'MacIntel', maxTouchPoints: 0 })).toBe(
      false,
    );
  });
});

describe('readBrowserFacts', () => {
  it('reads isolation, SharedArrayBuffer and the navigator from the globals it is given', () => {
    const facts = readBrowserFacts({
      crossOriginIsolated: true,
      SharedArrayBuffer,
      WebAssembly,
      navigator: {
        userAgent: IPHONE,
        onLine: false,
        cookieEnabled: false,
        userActivation: { isActive: true },
      },
    });
    expect(facts).toEqual({
      crossOriginIsolated: true,
      hasSharedArrayBuffer: true,
      hasWebAssembly: true,
      onLine: false,
      cookieEnabled: false,
      isIOS: true,
      userActivationActive: true,
    });
  });
  it('treats a browser without the isolation flag as not knowing about it', () => {
    const facts = readBrowserFacts({ navigator: {} });
    expect(facts.crossOriginIsolated).toBeUndefined();
    expect(facts.hasSharedArrayBuffer).toBe(false);
    expect(facts.onLine).toBe(true);
  });
});
