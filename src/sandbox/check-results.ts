/**
 * Reads the two kinds of marked lines that sandbox processes print, from a stream of text chunks.
 *
 *   @@svs-check <nonce> {json}   one per check result, then one summary (sandboxes/_kit/reporter.mjs)
 *   @@svs-event {json}           live traffic and instance state (sandboxes/_kit/balancer.mjs), and
 *                                the load generator's progress (sandboxes/_kit/load.mjs)
 *   @@svs-measure {json}         a learner's own number a lab records (sandboxes/_kit/measure.mjs)
 *
 * The markers themselves live in sandboxes/_kit/protocol.mjs, the one place the kit prints from.
 *
 * Check lines decide whether a lesson is complete, so only lines carrying this run's nonce count:
 * a learner's `console.log` that imitates a result line cannot know the nonce. Event lines only
 * drive a picture, so they carry no nonce.
 *
 * Isomorphic (no Node or DOM APIs) and tolerant: a line split across chunks is joined, and a line
 * that is malformed in any way is ignored rather than thrown at the page.
 */

import { CHECK_MARKER, EVENT_MARKER, MEASURE_MARKER } from './protocol.ts';

export { CHECK_MARKER, EVENT_MARKER, MEASURE_MARKER };

export type CheckStatus = 'pass' | 'fail' | 'error' | 'timeout';

export interface CheckResult {
  /** Stable within a sandbox: `<check file>/<test name>`. */
  id: string;
  /** The learner-facing sentence (the node:test name); hints in sandbox.json are keyed by it. */
  title: string;
  status: CheckStatus;
  /** What was expected and what came back; empty when the check passed. */
  message: string;
  durationMs: number;
}

export interface CheckSummary {
  passed: number;
  failed: number;
  total: number;
}

export type CheckLine =
  { kind: 'result'; result: CheckResult } | { kind: 'summary'; summary: CheckSummary };

const checkStatuses: readonly string[] = ['pass', 'fail', 'error', 'timeout'];

type Json = Record<string, unknown>;

function parseJsonObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : null;
  } catch {
    return null;
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Parses one complete line; null unless it is a well-formed check line with exactly this nonce. */
export function parseCheckLine(nonce: string, line: string): CheckLine | null {
  const trimmed = line.replace(/\r$/, '');
  const prefix = `${CHECK_MARKER} ${nonce} `;
  // An empty nonce would let any line through; treat it as "trust nothing".
  if (nonce === '' || !trimmed.startsWith(prefix)) return null;
  const data = parseJsonObject(trimmed.slice(prefix.length));
  if (data === null) return null;

  if (data['type'] === 'summary') {
    const { passed, failed, total } = data;
    if (!isCount(passed) || !isCount(failed) || !isCount(total)) return null;
    return { kind: 'summary', summary: { passed, failed, total } };
  }

  const { id, title, status, message, durationMs } = data;
  if (typeof id !== 'string' || typeof title !== 'string') return null;
  if (typeof status !== 'string' || !checkStatuses.includes(status)) return null;
  return {
    kind: 'result',
    result: {
      id,
      title,
      status: status as CheckStatus,
      message: typeof message === 'string' ? message : '',
      durationMs: typeof durationMs === 'number' && durationMs >= 0 ? durationMs : 0,
    },
  };
}

/**
 * Splits a chunked text stream into complete lines. `push` returns the lines finished by this
 * chunk; `end` returns the unterminated remainder, if any.
 */
export function createLineSplitter(): { push(chunk: string): string[]; end(): string[] } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      return lines;
    },
    end() {
      const rest = pending;
      pending = '';
      return rest === '' ? [] : [rest];
    },
  };
}

/** Streaming reader of check lines for one run. */
export function createCheckResultParser(nonce: string): {
  push(chunk: string): CheckLine[];
  end(): CheckLine[];
} {
  const lines = createLineSplitter();
  const parseAll = (complete: string[]): CheckLine[] =>
    complete.flatMap((line) => {
      const parsed = parseCheckLine(nonce, line);
      return parsed === null ? [] : [parsed];
    });
  return {
    push: (chunk) => parseAll(lines.push(chunk)),
    end: () => parseAll(lines.end()),
  };
}

/** Everything one finished run reported. `summary` is null if the run died before the end. */
export function parseCheckOutput(
  nonce: string,
  chunks: Iterable<string>,
): { results: CheckResult[]; summary: CheckSummary | null } {
  const parser = createCheckResultParser(nonce);
  const all: CheckLine[] = [];
  for (const chunk of chunks) all.push(...parser.push(chunk));
  all.push(...parser.end());
  const results: CheckResult[] = [];
  let summary: CheckSummary | null = null;
  for (const line of all) {
    if (line.kind === 'result') results.push(line.result);
    else summary = line.summary;
  }
  return { results, summary };
}

// ---------------------------------------------------------------------------------------------
// Event lines (load balancer traffic), drawn by the topology view and hidden from the terminal.

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

// ---------------------------------------------------------------------------------------------
// Measurement lines: a number the learner produced, stored in the browser next to the reference.
// Like events they carry no nonce: a learner who prints a fake one only fools themselves.

export interface Measurement {
  id: string;
  value: number;
  unit: string;
}

const MEASURE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function isMeasureLine(line: string): boolean {
  return line.startsWith(`${MEASURE_MARKER} `);
}

/** Parses one complete line; null unless it is a well-formed measurement line. */
export function parseMeasureLine(line: string): Measurement | null {
  const trimmed = line.replace(/\r$/, '');
  if (!isMeasureLine(trimmed)) return null;
  const data = parseJsonObject(trimmed.slice(MEASURE_MARKER.length + 1));
  if (data === null) return null;
  const { id, value, unit } = data;
  if (typeof id !== 'string' || !MEASURE_ID.test(id)) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (typeof unit !== 'string' || unit === '' || unit.length > 32) return null;
  return { id, value, unit };
}

/** Every measurement in a chunked stream (a Check run's output). */
export function createMeasureParser(): {
  push(chunk: string): Measurement[];
  end(): Measurement[];
} {
  const lines = createLineSplitter();
  const parseAll = (complete: string[]): Measurement[] =>
    complete.flatMap((line) => {
      const parsed = parseMeasureLine(line);
      return parsed === null ? [] : [parsed];
    });
  return { push: (chunk) => parseAll(lines.push(chunk)), end: () => parseAll(lines.end()) };
}

/**
 * Separates a process's output into what the terminal shows and the events the topology view
 * draws. A partial line is shown at once unless it could still become an event line (so prompts
 * without a newline appear immediately, yet a marked line split across chunks never leaks into the
 * terminal); `end` flushes whatever is left as text.
 */
export interface DemuxedOutput {
  text: string;
  events: SandboxEvent[];
  /** Measurement lines are hidden from the terminal too; the workspace stores them. */
  measurements: Measurement[];
}

export function createOutputDemuxer(): {
  push(chunk: string): DemuxedOutput;
  end(): DemuxedOutput;
} {
  let pending = '';
  // True once part of the current line went to the terminal: the rest of it is text, whatever it says.
  let lineStartedAsText = false;
  const couldBeMarked = (partial: string) =>
    [EVENT_MARKER, MEASURE_MARKER].some(
      (marker) => partial.startsWith(marker) || marker.startsWith(partial),
    );
  return {
    push(chunk) {
      let text = '';
      const events: SandboxEvent[] = [];
      const measurements: Measurement[] = [];
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const startedAsText = lineStartedAsText;
        lineStartedAsText = false;
        if (!startedAsText && isEventLine(line)) {
          const event = parseEventLine(line);
          if (event !== null) events.push(event);
        } else if (!startedAsText && isMeasureLine(line)) {
          const measurement = parseMeasureLine(line);
          if (measurement !== null) measurements.push(measurement);
        } else {
          text += `${line}\n`;
        }
      }
      if (pending !== '' && (lineStartedAsText || !couldBeMarked(pending))) {
        text += pending;
        pending = '';
        lineStartedAsText = true;
      }
      return { text, events, measurements };
    },
    end() {
      const text = pending;
      pending = '';
      lineStartedAsText = false;
      return { text, events: [], measurements: [] };
    },
  };
}
