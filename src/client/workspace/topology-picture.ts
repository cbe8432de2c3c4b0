/**
 * The SVG half of the topology view: browser → (cache) → balancer → instances (→ store). It is
 * decorative for assistive technology; topology-view.ts's tables carry the same facts as text.
 */
import { s } from './dom.ts';
import { averageLatency, type TopologyState } from './topology-state.ts';

const W = 680;
const ROW = 64;

export const stateLabel: Record<string, string> = {
  unknown: 'not started',
  starting: 'starting',
  up: 'up',
  unhealthy: 'failing health checks',
  draining: 'draining',
  down: 'down',
};

export interface TopologyPicture {
  readonly svg: SVGElement;
  render(state: TopologyState): void;
  flash(instance: number | null): void;
}

export function createTopologyPicture(count: number, withStore: boolean): TopologyPicture {
  const height = Math.max(count * ROW + 16, 150);
  const mid = height / 2;
  const instY = (n: number) => 8 + (n - 1) * ROW + ROW / 2;
  const svg = s('svg', { class: 'ws-topo__svg', viewBox: `0 0 ${W} ${height}` });
  const node = (x: number, y: number, w: number, label: string, cls: string) => {
    const sub = s('text', { 'text-anchor': 'middle', y: 15, class: 'ws-topo__sub' }, '');
    const g = s(
      'g',
      { class: `ws-topo__node ${cls}`, transform: `translate(${x} ${y})` },
      s('rect', { x: -w / 2, y: -22, width: w, height: 44, rx: 8 }),
      s('text', { 'text-anchor': 'middle', y: -3 }, label),
      sub,
    );
    return { g, sub };
  };

  const clientEdge = s('line', { class: 'ws-topo__edge', x1: 100, y1: mid, x2: 200, y2: mid });
  svg.append(clientEdge);
  const edges: SVGElement[] = [];
  for (let n = 1; n <= count; n += 1) {
    const edge = s('line', { class: 'ws-topo__edge', x1: 300, y1: mid, x2: 400, y2: instY(n) });
    edges.push(edge);
    svg.append(edge);
  }
  const storeEdges = Array.from({ length: count }, (_, i) =>
    s('line', {
      class: 'ws-topo__edge ws-topo__edge--store',
      x1: 520,
      y1: instY(i + 1),
      x2: 585,
      y2: mid,
    }),
  );
  svg.append(...storeEdges);
  const browser = node(55, mid, 90, 'Browser', 'ws-topo__node--client');
  const balancer = node(250, mid, 100, 'Balancer', 'ws-topo__node--balancer');
  // The cache sits on the browser's side of the balancer, shown once it reports.
  const cache = node(150, mid - 45, 86, 'Cache', 'ws-topo__node--cache');
  const store = node(628, mid, 86, 'Store', 'ws-topo__node--store');
  svg.append(browser.g, balancer.g, cache.g, store.g);
  const instances = Array.from({ length: count }, (_, i) => {
    const inst = node(460, instY(i + 1), 120, `Instance ${i + 1}`, 'ws-topo__node--instance');
    svg.append(inst.g);
    return inst;
  });

  const show = (el: SVGElement, visible: boolean) => {
    if (visible) el.removeAttribute('display');
    else el.setAttribute('display', 'none');
  };

  return {
    svg,
    render(state) {
      for (const inst of state.instances) {
        const view = instances[inst.n - 1];
        if (!view) continue;
        view.g.setAttribute('data-state', inst.state);
        edges[inst.n - 1]?.setAttribute('data-state', inst.state);
        const ms = averageLatency(inst);
        view.sub.textContent =
          `${stateLabel[inst.state]} · ${inst.requests} req` + (ms === null ? '' : ` · ${ms} ms`);
      }
      const hasStore = withStore || state.store !== null;
      show(store.g, hasStore);
      for (const edge of storeEdges) show(edge, hasStore);
      store.g.setAttribute('data-state', state.store?.state ?? 'unknown');
      store.sub.textContent = state.store
        ? `${state.store.state} · ${state.store.opsPerSecond} ops/s`
        : 'not started';
      show(cache.g, state.cache !== null);
      cache.sub.textContent = state.cache ? `${Math.round(state.cache.hitRatio * 100)}% hits` : '';
    },
    flash(instance) {
      const targets = [
        clientEdge,
        ...(instance === null ? [] : [edges[instance - 1], instances[instance - 1]?.g]),
      ];
      for (const el of targets) {
        if (!el) continue;
        el.classList.remove('is-hot');
        // Restart the CSS animation on back-to-back requests.
        void (el as unknown as HTMLElement).getBoundingClientRect();
        el.classList.add('is-hot');
      }
    },
  };
}
