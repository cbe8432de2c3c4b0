import { describe, expect, it } from 'vitest';
import { createOutputDemuxer } from '../../../../src/sandbox/check-results.ts';
import {
  RECENT_LIMIT,
  allDown,
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
