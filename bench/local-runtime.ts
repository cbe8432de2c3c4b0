/**
 * Local runtime benchmark: how long from "mount + spawn" until the sandbox server's first byte
 * arrives through its preview proxy, end to end through the real runner, client and event stream.
 * (bench/runtime.ts measures the same through the page, from the learner's click.)
 *
 *   npx tsx bench/local-runtime.ts [runs=15]
 *
 * Goal: under 300 ms (median) for one server on a 2-core machine.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket } from 'ws';
import { createRunner } from '../src/runner/index.ts';
import { createRuntime as createLocalRuntime } from '../src/runtime/local/index.ts';
import type { WebSocketConstructor } from '../src/runtime/local/protocol.ts';
import type { Runtime, ServerReadyEvent } from '../src/runtime/types.ts';

const RUNS = Number(process.argv[2] ?? 15);

const HELLO = `require('node:http')
  .createServer((req, res) => res.end('hello from ' + (process.env.INSTANCE || 'the server')))
  .listen(Number(process.env.PORT), process.env.HOST);`;
const BALANCER = readFileSync(new URL('../sandboxes/_kit/balancer.mjs', import.meta.url), 'utf8');

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const origin = `http://127.0.0.1:${port}`;
const runner = await createRunner({ coursePort: port, handleSignals: false });
server.on('request', (req, res) => void (runner.handle(req, res) || res.writeHead(404).end()));
server.on(
  'upgrade',
  (req, socket, head) => void (runner.handleUpgrade(req, socket, head) || socket.destroy()),
);

// In a browser these come from the page itself; Node needs the Origin header added by hand.
class PageWebSocket extends NodeWebSocket {
  constructor(url: string, protocols: string[]) {
    super(url, protocols, { origin });
  }
}
const runtime: Runtime = createLocalRuntime({
  baseUrl: origin,
  WebSocket: PageWebSocket as unknown as WebSocketConstructor,
  fetch: (input: RequestInfo | URL, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), origin } }),
});
await runtime.boot();

/** Resolves with the status once the first byte of the body (or the end) arrives. */
function firstByte(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request(url, (res) => res.once('data', () => resolve(res)).once('end', () => resolve(res)))
      .on('error', reject)
      .end();
  });
}

function nextReady(): Promise<ServerReadyEvent> {
  return new Promise((resolve) => {
    const stop = runtime.onServerReady((event) => {
      stop();
      resolve(event);
    });
  });
}

async function oneServer(): Promise<number> {
  const started = performance.now();
  const ready = nextReady();
  await runtime.mount({ 'server.js': HELLO });
  const child = await runtime.spawn('node', ['server.js']);
  const { url } = await ready;
  const answer = await firstByte(url);
  const elapsed = performance.now() - started;
  if (answer.statusCode !== 200) throw new Error(`preview answered ${answer.statusCode}`);
  answer.resume();
  await child.kill();
  return elapsed;
}

/** Until the balancer answers 200 through the preview, and until all three instances did. */
async function cluster(): Promise<{ first: number; all: number }> {
  const started = performance.now();
  const ready = nextReady();
  await runtime.mount({ 'server.js': HELLO, '_kit/balancer.mjs': BALANCER });
  const child = await runtime.spawn(
    'node',
    ['_kit/balancer.mjs', '--instances', '3', 'server.js'],
    {
      extraPorts: 3,
    },
  );
  const { url } = await ready;
  let first = 0;
  const seen = new Set<string>();
  while (seen.size < 3) {
    const answer = await firstByte(url);
    answer.resume();
    if (answer.statusCode === 200) {
      first ||= performance.now() - started;
      seen.add(String(answer.headers['x-served-by']));
    } else {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const all = performance.now() - started;
  await child.kill();
  return { first, all };
}

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${label.padEnd(44)} median ${median.toFixed(0).padStart(4)} ms   min ${sorted[0]!.toFixed(0).padStart(4)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(4)} ms   (n=${samples.length})`,
  );
}

await oneServer(); // warm-up: first spawn pays for disk caches
const single: number[] = [];
for (let i = 0; i < RUNS; i++) single.push(await oneServer());
const firsts: number[] = [];
const alls: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const { first, all } = await cluster();
  firsts.push(first);
  alls.push(all);
}

console.log(
  `local runtime, ${RUNS} runs each (mount + spawn -> first byte through the preview proxy)`,
);
summary('one server', single);
summary('3-instance cluster: first 200 via balancer', firsts);
summary('3-instance cluster: all 3 instances answered', alls);

await runtime.teardown();
await runner.close();
server.close();
