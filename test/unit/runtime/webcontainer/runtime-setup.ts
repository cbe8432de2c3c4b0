/** The fake WebContainer page that the runtime tests share: a host, runtimes on it, and readers. */
import type { BrowserFacts } from '../../../../src/runtime/webcontainer/environment.ts';
import { createContainerHost } from '../../../../src/runtime/webcontainer/host.ts';
import {
  createRuntimeOnHost,
  type WebContainerRuntimeOptions,
} from '../../../../src/runtime/webcontainer/runtime.ts';
import type { ServiceFrameWatch } from '../../../../src/runtime/webcontainer/service-frame.ts';
import { RuntimeError, type Runtime } from '../../../../src/runtime/types.ts';
import { createFakeWebContainerApi } from '../../../helpers/fake-webcontainer.ts';

const capableBrowser = (): BrowserFacts => ({
  crossOriginIsolated: true,
  hasSharedArrayBuffer: true,
  hasWebAssembly: true,
  onLine: true,
  cookieEnabled: true,
});

export function setup(facts: Partial<BrowserFacts> = {}) {
  const api = createFakeWebContainerApi();
  const browser = { ...capableBrowser(), ...facts };
  let failFrame: () => void = () => {};
  const watch = (): ServiceFrameWatch => ({
    failed: new Promise<void>((resolve) => (failFrame = resolve)),
    stop() {},
  });
  const host = createContainerHost(api.boot, () => browser, watch);
  const runtime = (options: Partial<WebContainerRuntimeOptions> = {}): Runtime =>
    createRuntimeOnHost(host, {
      shutdownGraceMs: 0,
      killGraceMs: 0,
      outputDrainMs: 0,
      portCloseGraceMs: 0,
      ...options,
    });
  /** What the page sees when the service frame loads an error page and stays silent. */
  const serviceFrameFails = () => failFrame();
  return { api, browser, host, runtime, container: api.container, serviceFrameFails };
}

/** The file as the sandbox holds it (the container's workdir has one folder per runtime). */
export function fileIn(
  container: { files: Map<string, string> },
  path: string,
): string | undefined {
  for (const [full, text] of container.files)
    if (full.split('/').slice(1).join('/') === path) return text;
  return undefined;
}

export async function readAll(stream: ReadableStream<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

export async function bootError(runtime: Runtime): Promise<RuntimeError> {
  const error: unknown = await runtime.boot().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RuntimeError))
    throw new Error(`expected a RuntimeError, got ${String(error)}`);
  return error;
}
