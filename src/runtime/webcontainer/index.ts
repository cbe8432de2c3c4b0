/**
 * The WebContainer backend. The only module that imports `@webcontainer/api`; the facade loads it
 * with a dynamic import so pages that never use it don't download it.
 */
import { WebContainer } from '@webcontainer/api';
import type { Runtime } from '../types.ts';
import type { BootContainer } from './surface.ts';
import { readBrowserFacts } from './environment.ts';
import { createContainerHost } from './host.ts';
import { createRuntimeOnHost, type WebContainerRuntimeOptions } from './runtime.ts';

export type { WebContainerRuntimeOptions } from './runtime.ts';

// Also checks at compile time that the real API still fits the slice the adapter relies on.
const bootWebContainer: BootContainer = (options) => WebContainer.boot(options);

/** One per page: WebContainer allows a single instance, shared by every runtime created here. */
const pageHost = createContainerHost(bootWebContainer, () => readBrowserFacts());

export function createWebContainerRuntime(options: WebContainerRuntimeOptions = {}): Runtime {
  return createRuntimeOnHost(pageHost, {
    ...options,
    requireGesture: options.requireGesture ?? readBrowserFacts().isIOS,
  });
}

/** Call at the start of a tap/click handler, before `boot()`, where a gesture is required. */
export function grantUserGesture(): void {
  pageHost.grantUserGesture();
}
