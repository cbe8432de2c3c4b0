/**
 * The preview pane: the learner's server in an iframe, with an editable path, reload and "open in
 * a new tab". While there is nothing to show it says why (not started, starting, crashed, nothing
 * listening) instead of showing a blank frame.
 */
import { button, h } from './dom.ts';

export type PreviewState =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'ready'; url: string }
  | { kind: 'crashed'; code: number }
  | { kind: 'finished' }
  | { kind: 'silent'; seconds: number }
  | { kind: 'stopped' };

function messageFor(state: PreviewState): string {
  switch (state.kind) {
    case 'idle':
      return 'Press Run to start your server. Its page will show here.';
    case 'starting':
      return 'Starting your server…';
    case 'crashed':
      return `Your server crashed (exit code ${state.code}). The terminal shows the error; fix it and press Run.`;
    case 'finished':
      return 'Your program finished without starting a server. Did it call server.listen(process.env.PORT)?';
    case 'silent':
      return `Your program is running, but nothing has listened on PORT for ${state.seconds} s. Did it call server.listen(process.env.PORT)?`;
    case 'stopped':
      return 'Your server is stopped. Press Run to start it again.';
    case 'ready':
      return '';
  }
}

export interface PreviewPane {
  readonly element: HTMLElement;
  /** The frame's area: a wait's progress bar sits over it, and it is aria-busy meanwhile. */
  readonly view: HTMLElement;
  set(state: PreviewState): void;
  /** Resolves once the preview shows something: the server's page (its frame loaded) or a message. */
  settled(): Promise<void>;
  reload(): void;
  readonly state: PreviewState;
}

/** Keeps the address a path on the preview's own origin (no scheme, no host). */
export function normalisePath(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed === '') return '/';
  const noHost = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/*[^/\\]*/i, '');
  // "//host/x" or "/\\host/x" would be read as another origin; one leading slash only.
  return `/${noHost.replace(/^[/\\]+/, '')}`;
}

export function createPreview(idBase: string): PreviewPane {
  let state: PreviewState = { kind: 'idle' };
  let path = '/';

  const pathInput = h('input', {
    id: `${idBase}-path`,
    class: 'ws-preview__path',
    type: 'text',
    value: '/',
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const reloadButton = button('Reload preview', { class: 'ws-btn ws-btn--quiet', disabled: true });
  const openLink = h(
    'a',
    { class: 'ws-btn ws-btn--quiet', target: '_blank', rel: 'noopener', 'aria-disabled': 'true' },
    'Open in new tab',
  );
  const form = h(
    'form',
    { class: 'ws-preview__bar' },
    h('label', { for: `${idBase}-path`, class: 'ws-preview__label' }, 'Path'),
    pathInput,
    reloadButton,
    openLink,
  );
  const frame = h('iframe', {
    class: 'ws-preview__frame',
    title: 'Preview of your server',
    hidden: true,
  });
  const message = h('p', { class: 'ws-preview__message', role: 'status' }, messageFor(state));
  const view = h('div', { class: 'ws-preview__view' }, frame, message);
  const element = h('div', { class: 'ws-preview' }, form, view);

  const waiting = new Set<() => void>();
  let frameLoaded = false;
  const releaseWaiting = () => {
    for (const resolve of waiting) resolve();
    waiting.clear();
  };
  // One listener for the pane's life, not one per ready state: a frame that never finished loading
  // would otherwise leave a listener behind each time, and a late load from an earlier server could
  // mark a stopped preview as showing a page.
  frame.addEventListener('load', () => {
    if (state.kind !== 'ready') return;
    frameLoaded = true;
    releaseWaiting();
  });

  const target = () => (state.kind === 'ready' ? new URL(path, state.url).href : null);

  const load = () => {
    const href = target();
    if (href === null) return;
    // Setting src always navigates, even to the same URL, so this doubles as reload.
    frame.src = href;
    openLink.href = href;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    path = normalisePath(pathInput.value);
    pathInput.value = path;
    load();
  });
  reloadButton.addEventListener('click', () => {
    path = normalisePath(pathInput.value);
    load();
  });

  return {
    element,
    view,
    get state() {
      return state;
    },
    set(next) {
      state = next;
      const ready = next.kind === 'ready';
      frame.hidden = !ready;
      message.hidden = ready;
      message.textContent = messageFor(next);
      message.dataset['kind'] = next.kind;
      reloadButton.disabled = !ready;
      frameLoaded = false;
      // A message is something to show at once; a page counts once its frame has loaded.
      if (!ready && next.kind !== 'starting') releaseWaiting();
      if (ready) {
        openLink.removeAttribute('aria-disabled');
        load();
      } else {
        openLink.setAttribute('aria-disabled', 'true');
        openLink.removeAttribute('href');
        frame.removeAttribute('src');
      }
    },
    settled() {
      const showing = state.kind === 'ready' ? frameLoaded : state.kind !== 'starting';
      if (showing) return Promise.resolve();
      return new Promise((resolve) => waiting.add(resolve));
    },
    reload: load,
  };
}
