import { describe, expect, it } from 'vitest';
import { createOutputDemuxer, type LoadEvent } from '../../../../src/sandbox/check-results.ts';
import { applyCheckResult, startCheckRun } from '../../../../src/client/workspace/check-run.ts';
import {
  initialTopology,
  reduceTopology,
} from '../../../../src/client/workspace/topology-state.ts';
import {
  clusterStartEnd,
  describeChecks,
  describeLoad,
  describeStart,
  instancesUp,
} from '../../../../src/client/workspace/wait-progress.ts';

const event = (json: object) => `@@svs-event ${JSON.stringify(json)}\n`;
const instance = (n: number, state: string) =>
  event({ type: 'instance', instance: n, state, port: 4100 + n, latencyMs: 0 });

describe('starting a server, as named steps', () => {
  it('names each step in order, and the bar only moves forward', () => {
    const phases = [
      describeStart({ kind: 'boot', progress: { kind: 'webcontainer', step: 'loading' } }),
      describeStart({ kind: 'boot', progress: { kind: 'webcontainer', step: 'booting' } }),
      describeStart({ kind: 'copying', files: 6 }),
      describeStart({ kind: 'spawning', up: 0, instances: 0 }),
    ];
    expect(phases.map((p) => p.label)).toEqual([
      'Loading the runtime…',
      'Booting Node in your browser…',
      'Copying 6 files…',
      'Starting your server…',
    ]);
    expect(phases.map((p) => p.valueText)).toEqual([
      'Step 1 of 4: Loading the runtime',
      'Step 2 of 4: Booting Node in your browser',
      'Step 3 of 4: Copying 6 files',
      'Step 4 of 4: Starting your server',
    ]);
    const shares = phases.map((p) => p.value / p.max);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(shares.every((share) => share < 1)).toBe(true);
  });

  it('says "connecting" for the local runner, and "1 file" in the singular', () => {
    expect(
      describeStart({ kind: 'boot', progress: { kind: 'local', step: 'connecting' } }).label,
    ).toBe('Connecting to the local runner…');
    expect(describeStart({ kind: 'copying', files: 1 }).label).toBe('Copying 1 file…');
  });

  it('counts instances up behind the balancer, filling the last step as they come up', () => {
    const share = (up: number) => {
      const reading = describeStart({ kind: 'spawning', up, instances: 3 });
      return reading.value / reading.max;
    };
    const two = describeStart({ kind: 'spawning', up: 2, instances: 3 });
    expect(two.label).toBe('Starting your servers: 2 of 3 instances up');
    expect(two.valueText).toBe('Step 4 of 4: Starting your servers: 2 of 3 instances up');
    // The bar goes on from where copying the files left it, and each instance moves it as far.
    const copied = describeStart({ kind: 'copying', files: 6 });
    expect(share(0)).toBe(copied.value / copied.max);
    expect(share(1) - share(0)).toBeCloseTo(share(2) - share(1));
    expect(share(2)).toBeLessThan(1);
    expect(share(3)).toBe(1);
    // A count past the total (a stray event) never overfills the bar.
    expect(share(5)).toBe(1);
  });

  it('reads "instances up" from the balancer’s own event lines', () => {
    const output =
      event({ type: 'balancer', port: 4000, instances: 3, strategy: 'round-robin' }) +
      instance(1, 'starting') +
      instance(2, 'starting') +
      instance(3, 'starting') +
      instance(2, 'up') +
      instance(1, 'up');
    const state = createOutputDemuxer()
      .push(output)
      .events.reduce(reduceTopology, initialTopology(3));
    expect(instancesUp(state)).toEqual({ up: 2, instances: 3 });
    expect(describeStart({ kind: 'spawning', ...instancesUp(state) }).label).toBe(
      'Starting your servers: 2 of 3 instances up',
    );
  });
});

describe('the end of a cluster’s start', () => {
  const after = (...lines: string[]) =>
    createOutputDemuxer()
      .push(
        event({ type: 'balancer', port: 4000, instances: 3, strategy: 'round-robin' }) +
          lines.join(''),
      )
      .events.reduce(reduceTopology, initialTopology(3));
  const starting = [instance(1, 'starting'), instance(2, 'starting'), instance(3, 'starting')];

  it('waits while any instance is still starting, even once the preview answers', () => {
    expect(clusterStartEnd(after(), false)).toBeNull();
    expect(clusterStartEnd(after(...starting, instance(1, 'up')), true)).toBeNull();
  });

  it('ends when every instance is up, or says how many came up when one crashed', () => {
    const allUp = after(...starting, instance(1, 'up'), instance(3, 'up'), instance(2, 'up'));
    expect(clusterStartEnd(allUp, true)).toBe('Your servers are running: 3 of 3 instances up.');
    const oneCrashed = after(
      ...starting,
      instance(1, 'up'),
      instance(2, 'down'),
      instance(3, 'up'),
    );
    expect(clusterStartEnd(oneCrashed, true)).toBe(
      'Your servers are running: 2 of 3 instances up.',
    );
  });

  it('ends when every instance stopped before it listened', () => {
    const crashed = after(
      ...starting,
      instance(1, 'down'),
      instance(2, 'down'),
      instance(3, 'down'),
    );
    expect(clusterStartEnd(crashed, false)).toBe(
      'None of your 3 instances started. The terminal shows why.',
    );
  });
});

describe('a Check run in progress', () => {
  it('counts checks as their results stream in', () => {
    let state = startCheckRun(['a', 'b', 'c']);
    expect(describeChecks(state).label).toBe('Checking… 0 of 3');
    expect(describeChecks(state).valueText).toBe('0 of 3 checks done, running check 1');
    state = applyCheckResult(state, {
      id: 'x/a',
      title: 'a',
      status: 'pass',
      message: '',
      durationMs: 1,
    });
    state = applyCheckResult(state, {
      id: 'x/b',
      title: 'b',
      status: 'fail',
      message: 'no',
      durationMs: 1,
    });
    const reading = describeChecks(state);
    expect(reading.label).toBe('Checking… 2 of 3');
    expect(reading.valueText).toBe('2 of 3 checks done, running check 3');
    expect([reading.value, reading.max]).toEqual([2, 3]);
  });

  it('with no expected titles, still says it is checking', () => {
    expect(describeChecks(startCheckRun([])).label).toBe('Checking…');
  });
});

describe('the load generator', () => {
  const running: LoadEvent = {
    type: 'load',
    state: 'running',
    elapsedMs: 1500,
    durationMs: 5000,
    requests: 300,
    target: null,
    rps: 199.6,
    errors: 0,
  };

  it('shows how far through its time it is, with live requests/s', () => {
    const reading = describeLoad(running);
    expect(reading.label).toBe('Load running: 200 requests/s · 1.5 s of 5.0 s');
    expect([reading.value, reading.max]).toEqual([1500, 5000]);
  });

  it('counts requests when it sends a number of them, and names errors', () => {
    const reading = describeLoad({
      ...running,
      durationMs: null,
      target: 2000,
      requests: 500,
      errors: 3,
    });
    expect(reading.label).toBe('Load running: 200 requests/s · 500 of 2000 requests · 3 errors');
    expect([reading.value, reading.max]).toEqual([500, 2000]);
  });

  it('never overfills when the last interval runs past the end', () => {
    expect(describeLoad({ ...running, elapsedMs: 5200 }).value).toBe(5000);
  });

  it('ends with a summary', () => {
    const reading = describeLoad({
      ...running,
      state: 'done',
      elapsedMs: 5012,
      requests: 1000,
      rps: 199.5,
    });
    expect(reading.label).toBe('Load finished: 1000 requests in 5.0 s, 200 requests/s');
    expect(reading.value).toBe(reading.max);
  });
});
