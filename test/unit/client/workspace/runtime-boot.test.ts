import { describe, expect, it } from 'vitest';
import type { BootProgress, RuntimeSelection } from '../../../../src/runtime/index.ts';
import {
  takeWarmRuntime,
  warmRuntime,
  type BootListener,
} from '../../../../src/client/workspace/runtime-boot.ts';

describe('the boot started before any lab session', () => {
  it('hands its current step and every later one to the session that takes it over', async () => {
    let report: BootListener = () => {};
    let finish: (selection: RuntimeSelection) => void = () => {};
    warmRuntime((_prefer, onStep) => {
      report = onStep;
      // The facade names its first step at once, before it returns the boot's promise.
      onStep({ kind: 'webcontainer', step: 'loading' });
      return new Promise((resolve) => (finish = resolve));
    });
    report({ kind: 'webcontainer', step: 'booting' });

    const heard: BootProgress[] = [];
    const selection = takeWarmRuntime((progress) => heard.push(progress));
    expect(selection).not.toBeNull();
    // The learner pressed Run mid-boot: they see the step it is on, not the one it started with.
    expect(heard).toEqual([{ kind: 'webcontainer', step: 'booting' }]);
    finish({
      runtime: {} as RuntimeSelection['runtime'],
      kind: 'webcontainer',
      reason: 'auto-webcontainer',
    });
    await expect(selection).resolves.toMatchObject({ kind: 'webcontainer' });

    // It is taken once: the next session boots for itself.
    expect(takeWarmRuntime(() => {})).toBeNull();
  });
});
