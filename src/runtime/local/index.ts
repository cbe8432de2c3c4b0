/** The local backend: runs sandboxes through the Node runner that `npm start` attaches to the course. */
import type { Runtime } from '../types.ts';
import { LocalRuntime, type LocalRuntimeOptions } from './local-runtime.ts';

export type { LocalRuntimeOptions } from './local-runtime.ts';

export function createRuntime(options?: LocalRuntimeOptions): Runtime {
  return new LocalRuntime(options);
}
