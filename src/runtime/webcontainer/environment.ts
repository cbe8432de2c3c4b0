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
}

interface NavigatorLike {
  onLine?: boolean;
  cookieEnabled?: boolean;
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
  };
}
