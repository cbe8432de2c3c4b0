/**
 * Notices, without waiting for the boot deadline, that WebContainer's service frame failed.
 *
 * `WebContainer.boot` appends a hidden iframe pointing at the service (`…/headless`) and waits for
 * it to post a message; offline, it waits forever. A frame whose navigation failed still fires
 * `load` (for the browser's error page, which we cannot read: it is cross-origin), and then never
 * posts. A real service page posts within moments of loading. So "loaded, then silent for a short
 * grace" means failed, typically seconds before the deadline would say so. A frame that never loads
 * at all (its host drops packets) is left to the deadline.
 */

export interface ServiceFrameWatch {
  /** Resolves when the frame loaded and then stayed silent for the grace period. Never rejects. */
  readonly failed: Promise<void>;
  stop(): void;
}

/** How long a loaded service frame may take to say hello before it counts as failed. */
export const SERVICE_FRAME_GRACE_MS = 3_000;

function isServiceFrame(node: Node): node is HTMLIFrameElement {
  if (!(node instanceof HTMLIFrameElement)) return false;
  try {
    return new URL(node.src).pathname === '/headless';
  } catch {
    return false;
  }
}

export function watchServiceFrame(graceMs: number = SERVICE_FRAME_GRACE_MS): ServiceFrameWatch {
  let stop = (): void => {};
  const failed = new Promise<void>((resolve) => {
    if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let origin = '';
    const heard = (event: MessageEvent) => {
      if (event.origin === origin) clearTimeout(timer);
    };
    const follow = (frame: HTMLIFrameElement) => {
      origin = new URL(frame.src).origin;
      frame.addEventListener('load', () => {
        clearTimeout(timer);
        timer = setTimeout(resolve, graceMs);
      });
    };
    const observer = new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes) if (isServiceFrame(node)) follow(node);
    });
    observer.observe(document.body, { childList: true });
    for (const frame of document.querySelectorAll('iframe'))
      if (isServiceFrame(frame)) follow(frame);
    window.addEventListener('message', heard);
    stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      window.removeEventListener('message', heard);
    };
  });
  return { failed, stop: () => stop() };
}
