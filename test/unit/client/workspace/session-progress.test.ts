/**
 * The named steps of a Run on the in-browser runtime, end to end below the DOM: the facade's
 * "loading", the WebContainer backend's "booting" (against the fake WebContainer API), the
 * session's "copying N files" and "spawning", then the balancer's instances coming up.
 */
import { describe, expect, it } from 'vitest';
import type { BootProgress, RuntimeSelection } from '../../../../src/runtime/index.ts';
import { createContainerHost } from '../../../../src/runtime/webcontainer/host.ts';
import { createRuntimeOnHost } from '../../../../src/runtime/webcontainer/runtime.ts';
import type { SandboxEvent } from '../../../../src/sandbox/check-results.ts';
import type { SandboxBundle } from '../../../../src/sandbox/types.ts';
import type { BootListener } from '../../../../src/client/workspace/runtime-boot.ts';
import {
  LabSession,
  type RunStatus,
  type StartStep,
} from '../../../../src/client/workspace/session.ts';
import {
  initialTopology,
  reduceTopology,
} from '../../../../src/client/workspace/topology-state.ts';
import { describeStart, instancesUp } from '../../../../src/client/workspace/wait-progress.ts';
import { createFakeWebContainerApi, type FakeProcess } from '../../../helpers/fake-webcontainer.ts';

const capable = () => ({
  crossOriginIsolated: true,
  hasSharedArrayBuffer: true,
  hasWebAssembly: true,
  onLine: true,
  cookieEnabled: true,
});

function clusterBundle(): SandboxBundle {
  return {
    id: 'cluster-lab',
    manifest: {
      title: 'Cluster',
      run: ['node', '_kit/balancer.mjs', '--instances', '3', 'server.js'],
      open: ['server.js'],
      topology: { instances: 3, store: false },
      hints: {},
      steps: null,
    },
    starter: { 'server.js': 'starter', 'lib/cart.js': 'cart' },
    solution: { 'server.js': 'solution' },
    support: { '_kit/balancer.mjs': 'balancer', '_kit/protocol.mjs': 'protocol' },
    checkCommand: ['node', '--test', 'checks/a.test.mjs'],
    checkTitles: [],
  } as SandboxBundle;
}

const line = (event: object) => `@@svs-event ${JSON.stringify(event)}\n`;

/** A balancer as the kit's prints it: listens, then reports each instance starting and up. */
function balancer(process: FakeProcess, upOrder: number[]): void {
  queueMicrotask(() => {
    process.listen(process.port);
    process.print(line({ type: 'balancer', port: process.port, instances: 3, strategy: 'rr' }));
    for (const n of [1, 2, 3])
      process.print(line({ type: 'instance', instance: n, state: 'starting', port: 4100 + n }));
    for (const n of upOrder)
      process.print(line({ type: 'instance', instance: n, state: 'up', port: 4100 + n }));
  });
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a Run on the in-browser runtime, step by step', () => {
  it('names loading, booting, copying the files and starting, then counts instances up', async () => {
    const api = createFakeWebContainerApi();
    api.container.onSpawn = (process) => balancer(process, [2, 1, 3]);
    const host = createContainerHost(api.boot, capable);
    // What the facade does for an explicit choice: load the backend, then boot it.
    const boot = async (_prefer: unknown, onStep: BootListener): Promise<RuntimeSelection> => {
      onStep({ kind: 'webcontainer', step: 'loading' });
      const runtime = createRuntimeOnHost(host, { shutdownGraceMs: 0, killGraceMs: 0 });
      await runtime.boot(onStep);
      return { runtime, kind: 'webcontainer', reason: 'explicit' };
    };

    const seen: string[] = [];
    const statuses: RunStatus['kind'][] = [];
    let topology = initialTopology(3);
    const counts: string[] = [];
    const session = new LabSession(
      clusterBundle(),
      {
        status: (status) => statuses.push(status.kind),
        step: (step: StartStep) =>
          seen.push(
            describeStart(
              step.kind === 'copying' ? step : { kind: 'spawning', up: 0, instances: 3 },
            ).label,
          ),
        output: () => {},
        note: () => {},
        event: (event: SandboxEvent) => {
          topology = reduceTopology(topology, event);
          counts.push(describeStart({ kind: 'spawning', ...instancesUp(topology) }).label);
        },
        preview: () => {},
        problem: (message) => {
          throw new Error(message);
        },
      },
      boot,
    );
    const bootSteps: BootProgress[] = [];
    session.onBootStep((progress) => {
      bootSteps.push(progress);
      seen.push(describeStart({ kind: 'boot', progress }).label);
    });

    await session.runtime();
    expect(session.bootStep).toBeNull();
    await session.start(clusterBundle().starter);
    await waitFor(() => instancesUp(topology).up === 3, 'three instances up');

    expect(bootSteps).toEqual([
      { kind: 'webcontainer', step: 'loading' },
      { kind: 'webcontainer', step: 'booting' },
    ]);
    // Two learner files and two kit files go into the container.
    expect(seen).toEqual([
      'Loading the runtime…',
      'Booting Node in your browser…',
      'Copying 4 files…',
      'Starting your servers: 0 of 3 instances up',
    ]);
    expect(counts.filter((c) => / [123] of 3 instances up$/.test(c))).toEqual([
      'Starting your servers: 1 of 3 instances up',
      'Starting your servers: 2 of 3 instances up',
      'Starting your servers: 3 of 3 instances up',
    ]);
    expect(statuses).toContain('running');
    await session.dispose();
  });
});
