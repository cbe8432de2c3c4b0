/**
 * The live topology: an SVG picture of client → balancer → instances (→ store), plus a table of the
 * same numbers with the kill/restart buttons, which is also the text alternative for screen readers.
 * It draws only what the event lines say (topology-state.ts), so it is identical on both runtimes.
 */
import { button, h, s } from './dom.ts';
import type { InstanceView, TopologyState } from './topology-state.ts';

export interface TopologyView {
  readonly element: HTMLElement;
  render(state: TopologyState): void;
  /** Lights up the path a request took. */
  flash(instance: number | null): void;
  setEnabled(running: boolean): void;
}

const W = 640;
const ROW = 64;

const stateLabel: Record<InstanceView['state'], string> = {
  unknown: 'not started',
  starting: 'starting',
  up: 'up',
  down: 'down',
};

export function createTopologyView(options: {
  instances: number;
  store: boolean;
  /** Sends `kill N` / `start N` to the balancer's stdin. */
  command(line: string): void;
}): TopologyView {
  const count = Math.max(1, options.instances);
  const height = Math.max(count * ROW + 16, 150);
  const mid = height / 2;
  const instY = (n: number) => 8 + (n - 1) * ROW + ROW / 2;

  // The picture is decorative for assistive tech: the table below carries the same facts.
  const svg = s('svg', { class: 'ws-topo__svg', viewBox: `0 0 ${W} ${height}` });
  const node = (x: number, y: number, w: number, label: string, cls: string) =>
    s(
      'g',
      { class: `ws-topo__node ${cls}`, transform: `translate(${x} ${y})` },
      s('rect', { x: -w / 2, y: -20, width: w, height: 40, rx: 8 }),
      s('text', { 'text-anchor': 'middle', y: 5 }, label),
    );
  const edges: SVGElement[] = [];
  const instNodes: SVGElement[] = [];
  const instText: SVGElement[] = [];
  const clientEdge = s('line', { class: 'ws-topo__edge', x1: 100, y1: mid, x2: 200, y2: mid });
  svg.append(clientEdge);
  for (let n = 1; n <= count; n += 1) {
    const edge = s('line', { class: 'ws-topo__edge', x1: 300, y1: mid, x2: 400, y2: instY(n) });
    edges.push(edge);
    svg.append(edge);
  }
  if (options.store) {
    for (let n = 1; n <= count; n += 1) {
      svg.append(
        s('line', {
          class: 'ws-topo__edge ws-topo__edge--store',
          x1: 520,
          y1: instY(n),
          x2: 560,
          y2: mid,
        }),
      );
    }
  }
  svg.append(node(55, mid, 90, 'Browser', 'ws-topo__node--client'));
  svg.append(node(250, mid, 100, 'Balancer', 'ws-topo__node--balancer'));
  for (let n = 1; n <= count; n += 1) {
    const label = s('text', { 'text-anchor': 'middle', y: 18, class: 'ws-topo__sub' }, '');
    const g = node(460, instY(n), 120, `Instance ${n}`, 'ws-topo__node--instance');
    g.querySelector('text')?.setAttribute('y', '-2');
    g.append(label);
    instNodes.push(g);
    instText.push(label);
    svg.append(g);
  }
  if (options.store) svg.append(node(600, mid, 70, 'Store', 'ws-topo__node--store'));

  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'ws-topo__table' },
    h('caption', {}, 'Instances behind the load balancer'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Instance'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Requests'),
        h('th', { scope: 'col' }, 'Sessions'),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    tbody,
  );
  const rows: {
    state: HTMLElement;
    requests: HTMLElement;
    sessions: HTMLElement;
    kill: HTMLButtonElement;
    restart: HTMLButtonElement;
  }[] = [];
  let current: InstanceView[] = [];
  for (let n = 1; n <= count; n += 1) {
    const kill = button(
      `Kill instance ${n}`,
      { class: 'ws-btn ws-btn--small', disabled: true },
      'Kill',
    );
    kill.setAttribute('aria-label', `Kill instance ${n}`);
    const restart = button(
      `Restart instance ${n}`,
      { class: 'ws-btn ws-btn--small', disabled: true },
      'Restart',
    );
    restart.setAttribute('aria-label', `Restart instance ${n}`);
    kill.addEventListener('click', () => options.command(`kill ${n}\n`));
    restart.addEventListener('click', () => {
      const up = current.find((i) => i.n === n)?.state === 'up';
      if (up) options.command(`kill ${n}\n`);
      options.command(`start ${n}\n`);
    });
    const cells = { state: h('td'), requests: h('td'), sessions: h('td') };
    tbody.append(
      h(
        'tr',
        { 'data-instance': n },
        h('th', { scope: 'row' }, `Instance ${n}`),
        cells.state,
        cells.requests,
        cells.sessions,
        h('td', { class: 'ws-topo__actions' }, kill, restart),
      ),
    );
    rows.push({ ...cells, kill, restart });
  }

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
    h('div', { class: 'ws-topo__picture', 'aria-hidden': 'true' }, svg),
    table,
    totals,
    recent,
    announcer,
  );
  let enabled = false;

  return {
    element,
    render(state) {
      for (const inst of state.instances) {
        const i = inst.n - 1;
        const row = rows[i];
        const g = instNodes[i];
        const previous = current.find((c) => c.n === inst.n)?.state;
        if (previous !== undefined && previous !== inst.state && inst.state !== 'unknown') {
          announcer.textContent = `Instance ${inst.n} is ${stateLabel[inst.state]}.`;
        }
        g?.setAttribute('data-state', inst.state);
        edges[i]?.setAttribute('data-state', inst.state);
        const sub = instText[i];
        if (sub) sub.textContent = `${stateLabel[inst.state]} · ${inst.requests} req`;
        if (!row) continue;
        row.state.textContent = stateLabel[inst.state];
        row.state.dataset['state'] = inst.state;
        row.requests.textContent = String(inst.requests);
        row.sessions.textContent = String(inst.sessions.length);
        row.kill.disabled = !enabled || inst.state !== 'up';
        row.restart.disabled = !enabled;
      }
      current = state.instances;
      totals.textContent =
        `${state.total} request${state.total === 1 ? '' : 's'}` +
        (state.unrouted ? ` · ${state.unrouted} with no instance to serve them (502)` : '') +
        (state.failovers ? ` · ${state.failovers} re-routed from a down instance` : '');
      recent.replaceChildren(
        ...state.recent.map((r) =>
          h(
            'li',
            { 'data-status': r.status >= 500 ? 'bad' : 'ok' },
            `${r.method} ${r.path} → ${r.instance === null ? 'no instance' : `instance ${r.instance}`} · ${r.status}` +
              (r.session ? ` · session ${r.session.slice(0, 8)}` : ''),
          ),
        ),
      );
    },
    flash(instance) {
      const targets = [
        clientEdge,
        ...(instance === null ? [] : [edges[instance - 1], instNodes[instance - 1]]),
      ];
      for (const el of targets) {
        if (!el) continue;
        el.classList.remove('is-hot');
        // Restart the CSS animation on back-to-back requests.
        void (el as unknown as HTMLElement).getBoundingClientRect();
        el.classList.add('is-hot');
      }
    },
    setEnabled(running) {
      enabled = running;
      for (const [i, row] of rows.entries()) {
        row.kill.disabled = !running || current[i]?.state !== 'up';
        row.restart.disabled = !running;
      }
    },
  };
}
