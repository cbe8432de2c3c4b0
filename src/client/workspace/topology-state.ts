/**
 * The live topology's state, derived only from the load balancer's event lines. Because nothing
 * here talks to a runtime, the diagram behaves the same on WebContainer and on the local runner.
 */
import type { SandboxEvent } from '../../sandbox/check-results.ts';

export type InstanceState = 'unknown' | 'starting' | 'up' | 'down';

export type RequestEvent = Extract<SandboxEvent, { type: 'request' }>;

export interface InstanceView {
  n: number;
  state: InstanceState;
  requests: number;
  /** Distinct session ids this instance has served (how spread out the sessions are). */
  sessions: string[];
}

export interface TopologyState {
  instances: InstanceView[];
  /** The newest requests first, at most RECENT_LIMIT. */
  recent: RequestEvent[];
  total: number;
  /** Requests the balancer could not route to any instance (it answered 502 itself). */
  unrouted: number;
  /** Sticky requests re-routed because their instance was down. */
  failovers: number;
}

export const RECENT_LIMIT = 8;

export function initialTopology(instanceCount: number): TopologyState {
  return {
    instances: Array.from({ length: instanceCount }, (_, i) => blankInstance(i + 1)),
    recent: [],
    total: 0,
    unrouted: 0,
    failovers: 0,
  };
}

function blankInstance(n: number): InstanceView {
  return { n, state: 'unknown', requests: 0, sessions: [] };
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
        i.n === event.instance ? { ...i, state: event.state } : i,
      );
      return { ...state, instances };
    }
    case 'failover':
      return { ...state, failovers: state.failovers + 1 };
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
        return { ...i, requests: i.requests + 1, sessions, state: nextState };
      });
      return { ...state, instances, recent, total: state.total + 1 };
    }
  }
}

/** When the balancer process ends, every instance ends with it. */
export function allDown(state: TopologyState): TopologyState {
  return { ...state, instances: state.instances.map((i) => ({ ...i, state: 'down' as const })) };
}
