/**
 * The live topology's state, derived only from the load balancer's event lines. Because nothing
 * here talks to a runtime, the diagram behaves the same on WebContainer and on the local runner.
 */
import type { CacheEvent, SandboxEvent, StoreEvent } from '../../sandbox/check-results.ts';

export type InstanceState = 'unknown' | 'starting' | 'up' | 'unhealthy' | 'draining' | 'down';

/** How many of an instance's latest answers its latency figure averages. */
export const LATENCY_WINDOW = 20;

export type RequestEvent = Extract<SandboxEvent, { type: 'request' }>;

export interface InstanceView {
  n: number;
  state: InstanceState;
  requests: number;
  /** Distinct session ids this instance has served (how spread out the sessions are). */
  sessions: string[];
  /** Latency added in front of it on purpose (`latency N 100ms`), in ms. */
  injectedMs: number;
  /** Time to first byte of its latest answers (at most LATENCY_WINDOW), oldest first. */
  latencies: number[];
}

export type StoreView = Omit<StoreEvent, 'type'>;
export type CacheView = Omit<CacheEvent, 'type'>;

export interface TopologyState {
  instances: InstanceView[];
  /** The newest requests first, at most RECENT_LIMIT. */
  recent: RequestEvent[];
  total: number;
  /** Requests the balancer could not route to any instance (it answered 502 itself). */
  unrouted: number;
  /** Sticky requests re-routed because their instance was down. */
  failovers: number;
  /** The kit store, once it has reported; null in labs without one. */
  store: StoreView | null;
  /** The shared cache, once it has reported; null in labs without one. */
  cache: CacheView | null;
}

/** Mean of an instance's latest answer times in ms, or null before its first answer. */
export function averageLatency(instance: InstanceView): number | null {
  const { latencies } = instance;
  if (latencies.length === 0) return null;
  return Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length);
}

export const RECENT_LIMIT = 8;

export function initialTopology(instanceCount: number): TopologyState {
  return {
    instances: Array.from({ length: instanceCount }, (_, i) => blankInstance(i + 1)),
    recent: [],
    total: 0,
    unrouted: 0,
    failovers: 0,
    store: null,
    cache: null,
  };
}

function blankInstance(n: number): InstanceView {
  return { n, state: 'unknown', requests: 0, sessions: [], injectedMs: 0, latencies: [] };
}

/** Grows the instance list when the balancer reports more instances than the manifest announced. */
function withInstances(instances: InstanceView[], upTo: number): InstanceView[] {
  if (instances.length >= upTo) return instances;
  const grown = [...instances];
  for (let n = instances.length + 1; n <= upTo; n += 1) grown.push(blankInstance(n));
  return grown;
}

export function reduceTopology(state: TopologyState, event: SandboxEvent): TopologyState {
  switch (event.type) {
    case 'balancer':
      return { ...state, instances: withInstances(state.instances, event.instances) };
    case 'instance': {
      const instances = withInstances(state.instances, event.instance).map((i) =>
        i.n === event.instance
          ? { ...i, state: event.state, injectedMs: event.latencyMs ?? i.injectedMs }
          : i,
      );
      return { ...state, instances };
    }
    case 'store': {
      const { type: _type, ...store } = event;
      return { ...state, store };
    }
    case 'cache': {
      const { type: _type, ...cache } = event;
      return { ...state, cache };
    }
    case 'failover':
      return { ...state, failovers: state.failovers + 1 };
    case 'load':
      return state; // drawn by the load progress bar, not the diagram
    case 'request': {
      const recent = [event, ...state.recent].slice(0, RECENT_LIMIT);
      const target = event.instance;
      if (target === null) {
        return { ...state, recent, total: state.total + 1, unrouted: state.unrouted + 1 };
      }
      const instances = withInstances(state.instances, target).map((i) => {
        if (i.n !== target) return i;
        const sessions =
          event.session !== null && !i.sessions.includes(event.session)
            ? [...i.sessions, event.session]
            : i.sessions;
        // A served request proves the instance is up if we missed its state line.
        const nextState: InstanceState = i.state === 'unknown' ? 'up' : i.state;
        const latencies = [...i.latencies, event.ms].slice(-LATENCY_WINDOW);
        return { ...i, requests: i.requests + 1, sessions, state: nextState, latencies };
      });
      return { ...state, instances, recent, total: state.total + 1 };
    }
  }
}

/** When the balancer process ends, every instance (and the store it ran) ends with it. */
export function allDown(state: TopologyState): TopologyState {
  return {
    ...state,
    instances: state.instances.map((i) => ({ ...i, state: 'down' as const })),
    store: state.store && { ...state.store, state: 'down', opsPerSecond: 0 },
  };
}
