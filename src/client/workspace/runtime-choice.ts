/**
 * Which runtime runs the lab: a badge naming the one in use, a select to switch, and the panel
 * shown when none could start (with the other backend one click away).
 */
import {
  RuntimeError,
  getPreferredRuntime,
  setPreferredRuntime,
  type RuntimeChoice,
  type RuntimeKind,
  type RuntimeSelection,
} from '../../runtime/index.ts';
import { browserStorage } from '../storage.ts';
import { h } from './dom.ts';
import { runtimeErrorPanel } from './runtime-panel.ts';

/** What the choice needs from the lab session. */
export interface RuntimeHost {
  runtime(prefer?: RuntimeChoice): Promise<RuntimeSelection>;
  switchRuntime(choice: RuntimeChoice): Promise<RuntimeSelection>;
}

export interface RuntimeChoiceControl {
  /** Badge, label and select; the workspace puts it under the toolbar. */
  readonly element: HTMLElement;
  /** Where the "no runtime" panel appears (above the panes). */
  readonly message: HTMLElement;
  /** Boots (or reuses) the runtime and names it; shows the error panel and rethrows on failure. */
  ensure(): Promise<RuntimeSelection>;
  showError(error: unknown): void;
}

function failedBackend(error: RuntimeError): RuntimeKind | null {
  if (error.code === 'runner-unreachable' || error.code === 'rejected') return 'local';
  if (error.code === 'failed') return null;
  return 'webcontainer';
}

export function createRuntimeChoice(options: {
  idBase: string;
  root: HTMLElement;
  session: RuntimeHost;
  /** Status line text ("Switching the runtime…"). */
  say(text: string): void;
  /** The learner picked another backend from the error panel: start their server on it. */
  onRecovered(): void;
  /** No runtime: the run controls go back to their stopped state. */
  onFailed(): void;
}): RuntimeChoiceControl {
  const { idBase, session, say } = options;
  const message = h('div', { class: 'ws-runtime', hidden: true });
  const badge = h('span', { class: 'ws-runtime-badge' });
  // `?runtime=` first, then the learner's remembered choice (the facade reads both).
  const initial: RuntimeChoice = getPreferredRuntime(browserStorage());
  const select = h(
    'select',
    { class: 'ws-runtime-choice__select', id: `${idBase}-runtime` },
    ...(
      [
        ['auto', 'Automatic'],
        ['webcontainer', 'In this browser (WebContainer)'],
        ['local', 'Local (Node via npm start)'],
      ] as const
    ).map(([value, label]) => h('option', { value, selected: value === initial }, label)),
  );
  const element = h(
    'div',
    { class: 'ws-runtime-choice' },
    badge,
    h('label', { for: `${idBase}-runtime` }, 'Runtime'),
    select,
  );

  const describe = (kind: RuntimeKind) => {
    options.root.dataset['runtime'] = kind;
    badge.textContent =
      kind === 'local'
        ? 'Running on the local runtime (Node on this computer)'
        : 'Running in your browser (WebContainer)';
  };
  const hideMessage = () => {
    message.hidden = true;
    message.replaceChildren();
  };

  const showError = (error: unknown) => {
    const runtimeError =
      error instanceof RuntimeError
        ? error
        : new RuntimeError('failed', String((error as Error)?.message ?? error));
    message.hidden = false;
    message.replaceChildren(
      runtimeErrorPanel({
        code: runtimeError.code,
        message: runtimeError.message,
        failed: failedBackend(runtimeError),
        onChoose(kind) {
          setPreferredRuntime(kind, browserStorage());
          select.value = kind;
          hideMessage();
          void session.runtime(kind).then(
            (selection) => {
              describe(selection.kind);
              options.onRecovered();
            },
            (again: unknown) => showError(again),
          );
        },
      }),
    );
    options.onFailed();
    say('');
  };

  select.addEventListener('change', () => {
    const choice = select.value as RuntimeChoice;
    setPreferredRuntime(choice, browserStorage());
    hideMessage();
    say('Switching the runtime…');
    void session.switchRuntime(choice).then(
      (selection) => {
        describe(selection.kind);
        say('Runtime switched. Press Run to start your server.');
      },
      (error: unknown) => showError(error),
    );
  });

  return {
    element,
    message,
    async ensure() {
      try {
        const selection = await session.runtime();
        describe(selection.kind);
        return selection;
      } catch (error) {
        showError(error);
        throw error;
      }
    },
    showError,
  };
}
