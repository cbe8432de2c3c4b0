/**
 * Event lines: `@@svs-event {json}`, the balancer's live traffic and instance states, the kit
 * store's and cache's counters, and the load generator's progress. They drive pictures, never a
 * grade, so they carry no nonce. Malformed lines are ignored.
 */
import { EVENT_MARKER } from './protocol.ts';
import { createLineSplitter, isCount, parseJsonObject, type Json } from './output-lines.ts';

export type InstanceState = 'starting' | 'up' | 'unhealthy' | 'draining' | 'down';
const instanceStates: readonly string[] = ['starting', 'up', 'unhealthy', 'draining', 'down'];

/** The kit store's state and counters (sandboxes/_kit/store-server.mjs). */
export interface StoreEvent {
  type: 'store';
  state: 'up' | 'down';
  port: number;
  keys: number;
  opsPerSecond: number;
  total: number;
  delayMs: number;
  fault: string | null;
}

/** The kit's shared cache counters (sandboxes/_kit/cache.mjs). */
export interface CacheEvent {
  type: 'cache';
  hits: number;
  misses: number;
  revalidated: number;
  entries: number;
  hitRatio: number;
}

/** The kit's load generator, every half second while it runs and once at the end (load.mjs). */
export interface LoadEvent {
  type: 'load';
  state: 'running' | 'done';
  elapsedMs: number;
  /** Set when it runs for a time; `target` when it sends a number of requests. */
  durationMs: number | null;
  /** Requests answered (or failed) so far. */
  requests: number;
  target: number | null;
  /** Answers per second over the last interval (over the whole run once done). */
  rps: number;
  errors: number;
}

export type SandboxEvent =
  | LoadEvent
  /** The balancer is listening; printed once at start. */
  | { type: 'balancer'; port: number; instances: number; strategy: string }
  /** One routed request. `instance` is null when no instance could take it (502). */
  | {
      type: 'request';
      id: string;
      method: string;
      path: string;
      instance: number | null;
      status: number;
      session: string | null;
      ms: number;
    }
  /** An instance changed state (or its injected latency). `reason` says why (`killed`, `drained`…). */
  | {
      type: 'instance';
      instance: number;
      state: InstanceState;
      port: number;
      reason?: string;
      latencyMs?: number;
    }
  | StoreEvent
  | CacheEvent
  /** A sticky request whose pinned instance was down was sent to another one. */
  | { type: 'failover'; id: string; from: number; to: number };

const isPositiveInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v > 0;

function toEvent(data: Json): SandboxEvent | null {
  switch (data['type']) {
    case 'balancer': {
      const { port, instances, strategy } = data;
      if (!isPositiveInt(port) || !isPositiveInt(instances) || typeof strategy !== 'string') {
        return null;
      }
      return { type: 'balancer', port, instances, strategy };
    }
    case 'request': {
      const { id, method, path, instance, status, session, ms } = data;
      if (typeof id !== 'string' || typeof method !== 'string' || typeof path !== 'string') {
        return null;
      }
      if (!(instance === null || isPositiveInt(instance)) || !isPositiveInt(status)) return null;
      return {
        type: 'request',
        id,
        method,
        path,
        instance,
        status,
        session: typeof session === 'string' ? session : null,
        ms: typeof ms === 'number' && ms >= 0 ? ms : 0,
      };
    }
    case 'instance': {
      const { instance, state, port, reason, latencyMs } = data;
      if (!isPositiveInt(instance) || !isPositiveInt(port)) return null;
      if (typeof state !== 'string' || !instanceStates.includes(state)) return null;
      return {
        type: 'instance',
        instance,
        state: state as InstanceState,
        port,
        ...(typeof reason === 'string' ? { reason } : {}),
        ...(isCount(latencyMs) ? { latencyMs } : {}),
      };
    }
    case 'store': {
      const { state, port, keys, opsPerSecond, total, delayMs, fault } = data;
      if ((state !== 'up' && state !== 'down') || !isPositiveInt(port)) return null;
      if (!isCount(keys) || !isCount(opsPerSecond) || !isCount(total)) return null;
      const delay = isCount(delayMs) ? delayMs : 0;
      const mode = typeof fault === 'string' ? fault : null;
      return { type: 'store', state, port, keys, opsPerSecond, total, delayMs: delay, fault: mode };
    }
    case 'cache': {
      const { hits, misses, revalidated, entries, hitRatio } = data;
      if (!isCount(hits) || !isCount(misses) || !isCount(revalidated) || !isCount(entries)) {
        return null;
      }
      if (typeof hitRatio !== 'number' || hitRatio < 0 || hitRatio > 1) return null;
      return { type: 'cache', hits, misses, revalidated, entries, hitRatio };
    }
    case 'failover': {
      const { id, from, to } = data;
      if (typeof id !== 'string' || !isPositiveInt(from) || !isPositiveInt(to)) return null;
      return { type: 'failover', id, from, to };
    }
    case 'load':
      return toLoadEvent(data);
    default:
      return null;
  }
}

function toLoadEvent(data: Json): LoadEvent | null {
  const { state, elapsedMs, durationMs, requests, target, rps, errors } = data;
  if (state !== 'running' && state !== 'done') return null;
  if (!isCount(elapsedMs) || !isCount(requests) || !isCount(errors)) return null;
  const positive = typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs > 0;
  if (!(durationMs === null || positive)) return null;
  if (!(target === null || isPositiveInt(target))) return null;
  // One of the two says when the load ends; without it there is no "how far along".
  if ((durationMs === null) === (target === null)) return null;
  if (typeof rps !== 'number' || !Number.isFinite(rps) || rps < 0) return null;
  return {
    type: 'load',
    state,
    elapsedMs,
    durationMs: durationMs as number | null,
    requests,
    target,
    rps,
    errors,
  };
}

/** Every event line in a chunked stream (a Check run's output, where checks may print them). */
export function createEventParser(): {
  push(chunk: string): SandboxEvent[];
  end(): SandboxEvent[];
} {
  const lines = createLineSplitter();
  const parseAll = (complete: string[]): SandboxEvent[] =>
    complete.flatMap((line) => {
      const parsed = parseEventLine(line);
      return parsed === null ? [] : [parsed];
    });
  return { push: (chunk) => parseAll(lines.push(chunk)), end: () => parseAll(lines.end()) };
}

export function isEventLine(line: string): boolean {
  return line.startsWith(`${EVENT_MARKER} `);
}

/** Parses one complete line; null unless it is a well-formed event line. */
export function parseEventLine(line: string): SandboxEvent | null {
  const trimmed = line.replace(/\r$/, '');
  if (!isEventLine(trimmed)) return null;
  const data = parseJsonObject(trimmed.slice(EVENT_MARKER.length + 1));
  return data === null ? null : toEvent(data);
}
