/**
 * The wire format between this client and the local runner (src/runner/): the one definition both
 * sides import. It must stay free of browser and Node APIs alike (types and constants only).
 */

export const API_PREFIX = '/__runner/';
export const STREAM_PATH = '/__runner/stream';
export const STREAM_PROTOCOL = 'svs-runner.v1';
export const TOKEN_PROTOCOL_PREFIX = 'svs-token.';
export const PAGE_PROTOCOL_PREFIX = 'svs-page.';

export type RunnerEvent =
  | { type: 'hello'; page: string }
  | { type: 'output'; process: string; data: string }
  | { type: 'ready'; process: string; port: number; url: string }
  | { type: 'exit'; process: string; code: number };

/** A lab id as a preview host name label: `<site>.localhost`. */
export const SITE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface SpawnAnswer {
  process: string;
  /** PORT first, then the extra ports the process received in SVS_PORTS. */
  ports: number[];
}

/** The part of the WebSocket API the client uses; the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export function parseEvent(data: unknown): RunnerEvent | null {
  try {
    const event = JSON.parse(String(data)) as RunnerEvent;
    return typeof event === 'object' && event !== null && typeof event.type === 'string'
      ? event
      : null;
  } catch {
    return null;
  }
}
