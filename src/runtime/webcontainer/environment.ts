/**
 * What the page can tell us about the browser before we try to boot, read from a globals object
 * passed in (tests hand in a plain object; the page hands in `globalThis`).
 */

export interface BrowserFacts {
  /** `undefined` when the browser doesn't know about cross-origin isolation at all. */
  crossOriginIsolated: boolean | undefined;
  hasSharedArrayBuffer: boolean;
  hasWebAssembly: boolean;
  /** `false` only when the browser is sure it is offline (`true` proves nothing). */
  onLine: boolean;
  cookieEnabled: boolean;
  isIOS: boolean;
  /** A click or key press is in progress (`navigator.userActivation.isActive`), where known. */
  userActivationActive: boolean;
}

interface NavigatorLike {
  userAgent?: string;
  platform?: string;
  maxTouchPoints?: number;
  onLine?: boolean;
  cookieEnabled?: boolean;
  userActivation?: { isActive?: boolean };
}

/**
 * iPhone and iPad, including iPadOS 13+, which sends a desktop Mac user agent: the only tell is a
 * touch screen, which no real Mac has.
 */
export function detectIOS(nav: NavigatorLike | undefined): boolean {
  if (!nav) return false;
  const ua = nav.userAgent ?? '';
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) return true;
  const looksLikeMac = /Macintosh/.test(ua) || nav.platform === 'MacIntel';
  return looksLikeMac && (nav.maxTouchPoints ?? 0) > 1;
}

export function readBrowserFacts(globals: Record<string, unknown> = globalThis): BrowserFacts {
  const nav = globals['navigator'] as NavigatorLike | undefined;
  const isolated = globals['crossOriginIsolated'];
  return {
    crossOriginIsolated: typeof isolated === 'boolean' ? isolated : undefined,
    hasSharedArrayBuffer: typeof globals['SharedArrayBuffer'] === 'function',
    hasWebAssembly: typeof globals['WebAssembly'] === 'object' && globals['WebAssembly'] !== null,
    onLine: nav?.onLine !== false,
    cookieEnabled: nav?.cookieEnabled !== false,
    isIOS: detectIOS(nav),
    userActivationActive: nav?.userActivation?.isActive === true,
  };
}
