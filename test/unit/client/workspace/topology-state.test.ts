import { describe, expect, it } from 'vitest';
import { createOutputDemuxer } from '../../../../src/sandbox/check-results.ts';
import {
  LATENCY_WINDOW,
  RECENT_LIMIT,
  allDown,
  averageLatency,
  initialTopology,
  reduceTopology,
  type TopologyState,
} from '../../../../src/client/workspace/topology-state.ts';

/** Feeds balancer output through the same demuxer the page uses, then the reducer. */
function replay(output: string, start: TopologyState = initialTopology(3)): TopologyState {
  const demux = createOutputDemuxer();
  return demux.push(output).events.reduce(reduceTopology, start);
}

const event = (json: object) => `@@svs-event ${JSON.stringify(json)}\n`;
const request = (id: string, instance: number | null, session: string | null = null) =>
  event({
    type: 'request',
    id,
    method: 'GET',
    path: '/cart',
    instance,
    status: instance ? 200 : 502,
    session,
    ms: 2,
  });

describe('topology state from event lines', () => {
  it('marks instances up as the balancer reports them', () => {
    const state = replay(
      [1, 2, 3]
        .map((n) => event({ type: 'instance', instance: n, state: 'up', port: 40000 + n }))
        .join(''),
    );
    expect(state.instances.map((i) => i.state)).toEqual(['up', 'up', 'up']);
  });

  it('counts requests per instance and the sessions each one has seen', () => {
    const state = replay(
      request('r1', 1, 'aa') +
        request('r2', 2, 'aa') +
        request('r3', 1, 'bb') +
        request('r4', 1, 'aa'),
    );
    expect(state.instances.map((i) => i.requests)).toEqual([3, 1, 0]);
    expect(state.instances[0]?.sessions).toEqual(['aa', 'bb']);
    expect(state.total).toBe(4);
    expect(state.recent[0]?.id).toBe('r4');
  });

  it('shows a killed instance as down and keeps it down while others serve', () => {
    let state = replay(
      [1, 2, 3]
        .map((n) => event({ type: 'instance', instance: n, state: 'up', port: 40000 + n }))
        .join(''),
    );
    state = replay(
      event({ type: 'instance', instance: 2, state: 'down', port: 40002, reason: 'killed' }) +
        request('r1', 3) +
        request('r2', 1),
      state,
    );
    expect(state.instances.map((i) => i.state)).toEqual(['up', 'down', 'up']);
    expect(state.instances[1]?.requests).toBe(0);
  });

  it('counts requests no instance could take', () => {
    const state = replay(request('r1', null));
    expect(state.unrouted).toBe(1);
    expect(state.instances.every((i) => i.requests === 0)).toBe(true);
  });

  it('grows to the number of instances the balancer announces', () => {
    const state = replay(
      event({ type: 'balancer', port: 5000, instances: 4, strategy: 'sticky' }),
      initialTopology(0),
    );
    expect(state.instances.map((i) => i.n)).toEqual([1, 2, 3, 4]);
  });

  it('keeps only the most recent requests for the list', () => {
    let output = '';
    for (let i = 0; i < RECENT_LIMIT + 5; i += 1) output += request(`r${i}`, 1);
    expect(replay(output).recent).toHaveLength(RECENT_LIMIT);
  });

  it('ignores a learner line that only looks like an event', () => {
    const state = replay('@@svs-event {"type":"request","instance":"two"}\n@@svs-event nonsense\n');
    expect(state.total).toBe(0);
  });

  it('marks everything down when the balancer stops', () => {
    const state = allDown(replay(request('r1', 1)));
    expect(state.instances.every((i) => i.state === 'down')).toBe(true);
  });
});

const storeEvent = (fields: object) =>
  event({
    type: 'store',
    state: 'up',
    port: 7001,
    keys: 3,
    opsPerSecond: 41,
    total: 230,
    commands: { GET: 200, SET: 30 },
    errors: 0,
    delayMs: 0,
    fault: null,
    persist: true,
    ...fields,
  });

describe('topology state: health, drain, latency, store and cache', () => {
  it('follows an instance through unhealthy, draining and down', () => {
    const states = ['up', 'unhealthy', 'up', 'draining', 'down'].map(
      (state) =>
        replay(event({ type: 'instance', instance: 2, state, port: 4002 })).instances[1]?.state,
    );
    expect(states).toEqual(['up', 'unhealthy', 'up', 'draining', 'down']);
  });

  it('averages each instance latest answer times and keeps the latency added on purpose', () => {
    let output = event({ type: 'instance', instance: 1, state: 'up', port: 4001, latencyMs: 100 });
    for (const ms of [110, 130]) {
      output += event({
        type: 'request',
        id: `r${ms}`,
        method: 'GET',
        path: '/',
        instance: 1,
        status: 200,
        session: null,
        ms,
      });
    }
    const [one, two] = replay(output).instances;
    expect([one?.injectedMs, one && averageLatency(one)]).toEqual([100, 120]);
    expect(two && averageLatency(two)).toBeNull();
    let many = '';
    for (let i = 0; i < LATENCY_WINDOW + 10; i += 1) many += request(`q${i}`, 1);
    expect(replay(many).instances[0]?.latencies).toHaveLength(LATENCY_WINDOW);
  });

  it('shows the store with its ops/s, and the store going down with the balancer', () => {
    const state = replay(
      storeEvent({}) + storeEvent({ state: 'down', opsPerSecond: 0, fault: 'refuse' }),
    );
    expect(state.store).toMatchObject({ state: 'down', port: 7001, keys: 3, fault: 'refuse' });
    const running = replay(storeEvent({}));
    expect(running.store).toMatchObject({ state: 'up', opsPerSecond: 41 });
    expect(allDown(running).store).toMatchObject({ state: 'down', opsPerSecond: 0 });
    expect(replay(request('r1', 1)).store).toBeNull();
  });

  it('shows the cache hit ratio', () => {
    const state = replay(
      event({
        type: 'cache',
        hits: 3,
        misses: 1,
        revalidated: 0,
        stored: 1,
        entries: 1,
        hitRatio: 0.75,
      }),
    );
    expect(state.cache).toEqual({ hits: 3, misses: 1, revalidated: 0, entries: 1, hitRatio: 0.75 });
  });

  it('ignores store and cache lines that do not hold together', () => {
    const state = replay(
      storeEvent({ state: 'sideways' }) +
        event({ type: 'cache', hits: 1, misses: 0, revalidated: 0, entries: 0, hitRatio: 7 }),
    );
    expect([state.store, state.cache]).toEqual([null, null]);
  });
});
