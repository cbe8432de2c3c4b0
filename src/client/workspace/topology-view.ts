/**
 * The live topology: a picture (topology-picture.ts) plus tables of the same numbers with the
 * controls, which are also the text alternative for screen readers. Instances: kill, restart,
 * drain. Store: stop (keeping or losing its data), start. Every control is a button, so all of it
 * works from the keyboard. It draws only what the event lines say (topology-state.ts), so it is
 * identical on both runtimes; commands go to the process's stdin as the balancer reads them.
 */
import { button, h } from './dom.ts';
import { createTopologyPicture, stateLabel } from './topology-picture.ts';
import { averageLatency, type InstanceView, type TopologyState } from './topology-state.ts';

export interface TopologyView {
  readonly element: HTMLElement;
  render(state: TopologyState): void;
  /** Lights up the path a request took. */
  flash(instance: number | null): void;
  setEnabled(running: boolean): void;
}

const smallButton = (text: string, label: string, onClick: () => void) => {
  const b = button(label, { class: 'ws-btn ws-btn--small', disabled: true }, text);
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
};

const headRow = (...names: string[]) =>
  h(
    'thead',
    {},
    h(
      'tr',
      {},
      ...names.map((name) =>
        h(
          'th',
          { scope: 'col' },
          name === '' ? h('span', { class: 'visually-hidden' }, 'Actions') : name,
        ),
      ),
    ),
  );

function latencyText(inst: InstanceView): string {
  const ms = averageLatency(inst);
  const measured = ms === null ? '–' : `${ms} ms`;
  return inst.injectedMs ? `${measured} (+${inst.injectedMs} ms added)` : measured;
}

export function createTopologyView(options: {
  instances: number;
  store: boolean;
  /** Sends a command line (`kill 2\n`, `store stop\n`) to the running process's stdin. */
  command(line: string): void;
}): TopologyView {
  const count = Math.max(1, options.instances);
  const picture = createTopologyPicture(count, options.store);

  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'ws-topo__table' },
    h('caption', {}, 'Instances behind the load balancer'),
    headRow('Instance', 'State', 'Requests', 'Sessions', 'Latency', ''),
    tbody,
  );
  const rows = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const row = {
      state: h('td'),
      requests: h('td'),
      sessions: h('td'),
      latency: h('td'),
      kill: smallButton('Kill', `Kill instance ${n}`, () => options.command(`kill ${n}\n`)),
      restart: smallButton('Restart', `Restart instance ${n}`, () =>
        options.command(`restart ${n}\n`),
      ),
      drain: smallButton('Drain', `Drain instance ${n}`, () => options.command(`drain ${n}\n`)),
    };
    tbody.append(
      h(
        'tr',
        { 'data-instance': n },
        h('th', { scope: 'row' }, `Instance ${n}`),
        row.state,
        row.requests,
        row.sessions,
        row.latency,
        h('td', { class: 'ws-topo__actions' }, row.kill, row.restart, row.drain),
      ),
    );
    return row;
  });

  // Store and cache, as text: a row each, shown once the lab has them.
  const store = {
    state: h('td'),
    ops: h('td'),
    keys: h('td'),
    stop: smallButton('Stop', 'Stop the store, keeping its data', () =>
      options.command('store stop keep-data\n'),
    ),
    wipe: smallButton('Stop, lose data', 'Stop the store and lose its data', () =>
      options.command('store stop lose-data\n'),
    ),
    start: smallButton('Start', 'Start the store', () => options.command('store start\n')),
  };
  const storeRow = h(
    'tr',
    { 'data-service': 'store', hidden: !options.store },
    h('th', { scope: 'row' }, 'Store'),
    store.state,
    store.ops,
    store.keys,
    h('td', { class: 'ws-topo__actions' }, store.stop, store.wipe, store.start),
  );
  const cacheCells = { ratio: h('td'), counts: h('td'), entries: h('td') };
  const cacheRow = h(
    'tr',
    { 'data-service': 'cache', hidden: true },
    h('th', { scope: 'row' }, 'Shared cache'),
    cacheCells.ratio,
    cacheCells.counts,
    cacheCells.entries,
    h('td'),
  );
  const services = h(
    'table',
    { class: 'ws-topo__table', hidden: !options.store },
    h('caption', {}, 'Store and cache'),
    headRow('Service', 'State', 'Load', 'Keys or entries', ''),
    h('tbody', {}, storeRow, cacheRow),
  );

  const recent = h('ol', {
    class: 'ws-topo__recent',
    'aria-label': 'Latest requests, newest first',
  });
  const totals = h('p', { class: 'ws-topo__totals' });
  // Announce state changes only; announcing every request would drown a screen reader.
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });

  const element = h(
    'div',
    { class: 'ws-topo' },
    h('div', { class: 'ws-topo__picture', 'aria-hidden': 'true' }, picture.svg),
    table,
    services,
    totals,
    recent,
    announcer,
  );
  let enabled = false;
  let current: TopologyState | null = null;

  function updateButtons() {
    for (const [i, row] of rows.entries()) {
      const state = current?.instances[i]?.state ?? 'unknown';
      const live = state === 'up' || state === 'unhealthy' || state === 'starting';
      row.kill.disabled = !enabled || !live;
      row.drain.disabled = !enabled || (state !== 'up' && state !== 'unhealthy');
      row.restart.disabled = !enabled || state === 'draining';
    }
    const storeState = current?.store?.state;
    store.stop.disabled = !enabled || storeState !== 'up';
    store.wipe.disabled = !enabled || storeState !== 'up';
    store.start.disabled = !enabled || storeState !== 'down';
  }

  return {
    element,
    render(state) {
      for (const inst of state.instances) {
        const row = rows[inst.n - 1];
        const previous = current?.instances.find((c) => c.n === inst.n)?.state;
        if (previous !== undefined && previous !== inst.state && inst.state !== 'unknown') {
          announcer.textContent = `Instance ${inst.n} is ${stateLabel[inst.state]}.`;
        }
        if (!row) continue;
        row.state.textContent = stateLabel[inst.state] ?? inst.state;
        row.state.dataset['state'] = inst.state;
        row.requests.textContent = String(inst.requests);
        row.sessions.textContent = String(inst.sessions.length);
        row.latency.textContent = latencyText(inst);
      }
      if (state.store) {
        if (current?.store && current.store.state !== state.store.state) {
          announcer.textContent = `The store is ${state.store.state}.`;
        }
        const { delayMs, fault } = state.store;
        store.state.textContent =
          state.store.state +
          (fault ? ` (fault: ${fault})` : '') +
          (delayMs ? ` (+${delayMs} ms)` : '');
        store.state.dataset['state'] = state.store.state;
        store.ops.textContent = `${state.store.opsPerSecond} ops/s`;
        store.keys.textContent = `${state.store.keys} keys`;
      }
      storeRow.hidden = !options.store && state.store === null;
      if (state.cache) {
        const { hitRatio, hits, misses, revalidated, entries } = state.cache;
        cacheCells.ratio.textContent = `${Math.round(hitRatio * 100)}% hits`;
        cacheCells.counts.textContent = `${hits} hit, ${misses} miss, ${revalidated} revalidated`;
        cacheCells.entries.textContent = `${entries} entries`;
      }
      cacheRow.hidden = state.cache === null;
      services.hidden = storeRow.hidden && cacheRow.hidden;
      picture.render(state);
      current = state;
      updateButtons();
      totals.textContent =
        `${state.total} request${state.total === 1 ? '' : 's'}` +
        (state.unrouted ? ` · ${state.unrouted} with no instance to serve them (502)` : '') +
        (state.failovers ? ` · ${state.failovers} re-routed from a down instance` : '');
      recent.replaceChildren(
        ...state.recent.map((r) =>
          h(
            'li',
            { 'data-status': r.status >= 500 ? 'bad' : 'ok' },
            `${r.method} ${r.path} → ${r.instance === null ? 'no instance' : `instance ${r.instance}`} · ${r.status} · ${r.ms} ms` +
              (r.session ? ` · session ${r.session.slice(0, 8)}` : ''),
          ),
        ),
      );
    },
    flash: (instance) => picture.flash(instance),
    setEnabled(running) {
      enabled = running;
      updateButtons();
    },
  };
}
