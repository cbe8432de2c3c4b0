/**
 * Learner-facing reasons the in-browser runtime could not start, and the rules that map what we
 * observed onto them. Pure (no `@webcontainer/api`), so the facade may import it statically.
 */
import { RuntimeError } from '../types.ts';
import type { BrowserFacts } from './environment.ts';

const SWITCH_TO_LOCAL =
  'or switch to the local runtime: run `npm start` in the course folder and choose Local.';

/** Checks that need no network, in the order that names the most useful fix first. */
export function preflightError(facts: BrowserFacts): RuntimeError | null {
  if (facts.crossOriginIsolated === undefined || !facts.hasWebAssembly) {
    return new RuntimeError(
      'unsupported',
      `This browser can’t run the in-browser runtime. Use a recent Chrome, Edge or Firefox, ${SWITCH_TO_LOCAL}`,
    );
  }
  if (!facts.crossOriginIsolated) {
    return new RuntimeError(
      'not-isolated',
      `This page wasn’t served with the cross-origin isolation headers the in-browser runtime needs (COOP and COEP). Open the course from \`npm start\` or a host that sends them, ${SWITCH_TO_LOCAL}`,
    );
  }
  if (!facts.hasSharedArrayBuffer) {
    return new RuntimeError(
      'unsupported',
      `This browser doesn’t offer SharedArrayBuffer, which the in-browser runtime needs. Use a recent Chrome, Edge or Firefox, ${SWITCH_TO_LOCAL}`,
    );
  }
  if (!facts.onLine) return serviceUnreachable('Your browser says it is offline.');
  return null;
}

/**
 * From the page we cannot tell "the network is down" from "the browser keeps third-party storage
 * from the service's frame": both look like a frame that never answers. So the message names both.
 */
const LIKELY_CAUSES =
  'The two usual causes: this computer is offline (or a firewall blocks stackblitz.com), or the browser blocks third-party cookies and storage for it (private windows often do).';

export function serviceUnreachable(detail: string, cause?: unknown): RuntimeError {
  return new RuntimeError(
    'service-unreachable',
    `The in-browser runtime couldn’t reach its service on stackblitz.com. ${detail} ${LIKELY_CAUSES} Fix that and press Try again, ${SWITCH_TO_LOCAL}`,
    { cause },
  );
}

export function storageBlocked(cause?: unknown): RuntimeError {
  return new RuntimeError(
    'storage-blocked',
    `The in-browser runtime needs third-party cookies and storage for stackblitz.com, and this browser blocks them. Allow them for this site (private windows often block them) and press Try again, ${SWITCH_TO_LOCAL}`,
    { cause },
  );
}

export function bootTimedOut(timeoutMs: number, facts: BrowserFacts): RuntimeError {
  // With cookies off the service's frame can load yet never answer, which looks like a timeout.
  if (!facts.cookieEnabled) return storageBlocked();
  const seconds = Math.round(timeoutMs / 1000);
  return serviceUnreachable(`It didn’t answer within ${seconds} s.`);
}

/** The service's frame loaded something (an error page, or a page without its storage) and went quiet. */
export function serviceFrameFailed(facts: BrowserFacts): RuntimeError {
  if (!facts.cookieEnabled) return storageBlocked();
  return serviceUnreachable('Its frame loaded but never answered.');
}

const STORAGE_WORDS = /storage|cookie|indexeddb|quota|securityerror|access is denied/i;
const NETWORK_WORDS = /failed to fetch|networkerror|network error|load failed|timed? ?out|offline/i;

/** Maps an error thrown by `WebContainer.boot` onto one of our codes. */
export function classifyBootFailure(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (STORAGE_WORDS.test(message)) return storageBlocked(error);
  if (NETWORK_WORDS.test(message)) return serviceUnreachable('The connection failed.', error);
  return new RuntimeError(
    'failed',
    `The in-browser runtime failed to start (${message}). Press Try again to reload the page, ${SWITCH_TO_LOCAL}`,
    { cause: error },
  );
}
