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
import { watchServiceFrame } from './service-frame.ts';

export type { WebContainerRuntimeOptions } from './runtime.ts';

// Also checks at compile time that the real API still fits the slice the adapter relies on.
const bootWebContainer: BootContainer = (options) => WebContainer.boot(options);

/** One per page: WebContainer allows a single instance, shared by every runtime created here. */
const pageHost = createContainerHost(
  bootWebContainer,
  () => readBrowserFacts(),
  () => watchServiceFrame(),
);

export function createRuntime(options: WebContainerRuntimeOptions = {}): Runtime {
  return createRuntimeOnHost(pageHost, options);
}
