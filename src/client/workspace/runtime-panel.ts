/**
 * Shown when no runtime could start: says what went wrong in plain words and offers the other
 * backend. Offline, `?runtime=webcontainer` lands here, and "Use the local runtime" gets the
 * learner going without touching the address bar.
 */
import type { RuntimeKind } from '../../runtime/index.ts';
import { button, h } from './dom.ts';

const headline: Record<string, string> = {
  'service-unreachable': 'We could not reach the WebContainer service.',
  'not-isolated': 'This page cannot run the in-browser runtime (it is not cross-origin isolated).',
  unsupported: 'This browser cannot run the in-browser runtime.',
  'storage-blocked': 'The in-browser runtime needs third-party storage, which this browser blocks.',
  'still-running': 'A process would not stop.',
  'runner-unreachable': 'The local runtime is not answering.',
  rejected: 'The runtime refused the request.',
  failed: 'The runtime failed to start.',
};

export function runtimeErrorPanel(options: {
  code: string;
  message: string;
  /** The backend that failed, if we know it. */
  failed: RuntimeKind | null;
  onChoose(kind: RuntimeKind): void;
}): HTMLElement {
  const other: RuntimeKind = options.failed === 'local' ? 'webcontainer' : 'local';
  const choose = button(
    other === 'local' ? 'Use the local runtime' : 'Try the in-browser runtime',
    {
      class: 'ws-btn ws-btn--primary',
    },
  );
  choose.addEventListener('click', () => options.onChoose(other));
  // A fresh page: WebContainer's API keeps its first (failed) service frame for the page's life.
  const retry = button('Try again', { class: 'ws-btn' });
  retry.addEventListener('click', () => location.reload());
  return h(
    'div',
    { class: 'ws-runtime-error', role: 'alert' },
    h('p', { class: 'ws-runtime-error__title' }, headline[options.code] ?? headline['failed']!),
    h('p', { class: 'ws-runtime-error__detail' }, options.message),
    other === 'local'
      ? h(
          'p',
          { class: 'ws-runtime-error__detail' },
          'The local runtime runs your code with Node on this computer; it is available when the course was started with ',
          h('code', {}, 'npm start'),
          '.',
        )
      : null,
    h('div', { class: 'ws-runtime-error__actions' }, choose, retry),
  );
}
