import { RuntimeError } from '../types.ts';
import {
  API_PREFIX,
  PAGE_PROTOCOL_PREFIX,
  STREAM_PATH,
  STREAM_PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  parseEvent,
  type RunnerEvent,
  type WebSocketConstructor,
  type WebSocketLike,
} from './protocol.ts';

/**
 * The page's session with the local runner: the token, the event stream, and authenticated calls
 * to the control API. Reconnects the stream (keeping the same page, so processes survive) when it
 * drops briefly, e.g. the laptop slept.
 */

export interface ConnectionOptions {
  baseUrl: string;
  fetch: typeof fetch;
  WebSocket: WebSocketConstructor;
  timeoutMs: number;
  onEvent(event: RunnerEvent): void;
  /** The stream is gone for good (runner stopped); every process should be treated as ended. */
  onLost(): void;
}

const HOW_TO_START =
  'Start the course with `npm start` in its folder (it starts the local runner too) and open the address it prints.';
// The runner keeps a page's processes for 5 s after its stream drops; retry within that window.
const RECONNECT_DELAYS_MS = [200, 500, 1000, 2000];

export class RunnerConnection {
  private token = '';
  private pageId = '';
  private socket: WebSocketLike | undefined;
  private closedByUs = false;

  constructor(private readonly options: ConnectionOptions) {}

  async open(): Promise<void> {
    this.closedByUs = false;
    this.token = await this.fetchToken();
    await this.openStream();
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.close(1000, 'teardown');
    this.socket = undefined;
  }

  /** POSTs an action with the page id; refusals become RuntimeErrors with the runner's reason. */
  async call<T>(action: string, body: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await this.options.fetch(this.url(`${API_PREFIX}${action}`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-runner-token': this.token },
        body: JSON.stringify({ page: this.pageId, ...body }),
      });
    } catch (error) {
      throw new RuntimeError(
        'runner-unreachable',
        `The local runner stopped answering. ${HOW_TO_START}`,
        {
          cause: error,
        },
      );
    }
    const answer = (await response.json().catch(() => ({}))) as { error?: string } & T;
    if (response.ok) return answer;
    const reason = answer.error ?? `HTTP ${response.status}`;
    if (response.status === 401)
      throw new RuntimeError(
        'rejected',
        `The local runner was restarted; reload the page. (${reason})`,
      );
    throw new RuntimeError('rejected', `The local runner refused: ${reason}`);
  }

  private url(path: string): string {
    return new URL(path, this.options.baseUrl).href;
  }

  private async fetchToken(): Promise<string> {
    const unreachable = (cause?: unknown) =>
      new RuntimeError(
        'runner-unreachable',
        `The local runner is not answering at ${new URL(this.options.baseUrl).origin}. ${HOW_TO_START}`,
        { cause },
      );
    let response: Response;
    try {
      response = await this.options.fetch(this.url(`${API_PREFIX}session`), {
        method: 'POST',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw unreachable(error);
    }
    const answer = (await response.json().catch(() => null)) as {
      token?: unknown;
      error?: unknown;
    } | null;
    // A static host may answer 403 too; only the runner's own refusal carries a JSON reason.
    if (response.status === 403 && typeof answer?.error === 'string')
      throw new RuntimeError(
        'rejected',
        'The local runner only accepts the course at the exact address `npm start` prints (http://127.0.0.1:PORT or http://localhost:PORT).',
      );
    if (!response.ok || typeof answer?.token !== 'string') throw unreachable();
    return answer.token;
  }

  private openStream(): Promise<void> {
    const url = new URL(STREAM_PATH, this.options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const protocols = [STREAM_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${this.token}`];
    if (this.pageId) protocols.push(`${PAGE_PROTOCOL_PREFIX}${this.pageId}`);
    const socket = new this.options.WebSocket(url.href, protocols);
    this.socket = socket;
    return new Promise((resolve, reject) => {
      let greeted = false;
      const timer = setTimeout(() => {
        socket.close();
        // The runner handed out a token, so it is there: a slow stream is its failure, not a sign
        // that this page should look for another runtime.
        reject(
          new RuntimeError(
            'failed',
            `The local runner's event stream did not open within ${this.options.timeoutMs / 1000} s. Reload the page to try again.`,
          ),
        );
      }, this.options.timeoutMs);
      socket.addEventListener('message', ({ data }) => {
        const event = parseEvent(data);
        if (!event) return;
        if (event.type === 'hello') {
          const samePage = !this.pageId || this.pageId === event.page;
          this.pageId = event.page;
          greeted = true;
          clearTimeout(timer);
          // A different page id means the runner forgot us: our processes are gone.
          if (!samePage) this.options.onLost();
          resolve();
        } else {
          this.options.onEvent(event);
        }
      });
      socket.addEventListener('close', () => {
        clearTimeout(timer);
        if (!greeted) {
          reject(
            new RuntimeError(
              'rejected',
              `The local runner refused the event stream. ${HOW_TO_START}`,
            ),
          );
        } else if (!this.closedByUs && this.socket === socket) {
          void this.reconnect();
        }
      });
    });
  }

  private async reconnect(): Promise<void> {
    for (const delay of RECONNECT_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.closedByUs) return;
      try {
        await this.openStream();
        return;
      } catch {
        // try again after a longer pause
      }
    }
    this.options.onLost();
  }
}
