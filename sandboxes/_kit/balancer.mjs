/**
 * A small HTTP load balancer for multi-instance labs. Node built-ins only; Node 20 and 22.
 *
 *   node _kit/balancer.mjs [--instances 3] [--strategy round-robin|sticky|least-connections|hash]
 *        [--hash-key cookie:sid] [--health /health] [--health-interval 500] [--store] [--cache]
 *        server.js
 *
 * - Listens on PORT (bound to HOST, default 127.0.0.1) and starts N copies of server.js, each with
 *   its own PORT, HOST=127.0.0.1 and INSTANCE=n (numbered from 1). Instance ports come from
 *   SVS_PORTS=p1,p2,… when the runtime provides them, else from the OS. An instance keeps its port
 *   across restarts. Strategies: balancer-routing.mjs. Instances and health: balancer-pool.mjs.
 * - Every answer carries `x-served-by: instance-<n>`. When no instance can take a request the
 *   balancer answers 502 with a readable HTML page.
 * - --store runs the kit's store (store-server.mjs) and gives every instance STORE_URL.
 *   --cache puts the kit's shared cache (cache.mjs) on PORT, in front of the balancer.
 * - Commands on stdin, one per line: `kill N` (a crash: SIGKILL), `start N`, `drain N [10s]` (no
 *   new requests, in-flight ones finish within the deadline, then `shutdown`), `restart N` (drain, then start),
 *   `latency N 100ms`, `status`, `help`, `store …` (see store-server.mjs), `cache stats`,
 *   `shutdown` (stop everything and exit).
 * - Output: instance output prefixed `[n] `, its own messages prefixed `[balancer] `, and one
 *   event line per routed request and per change, for the topology view:
 *     @@svs-event {"type":"balancer","port":8080,"instances":3,"strategy":"round-robin","health":"/health"|null}
 *     @@svs-event {"type":"instance","instance":2,"state":"starting"|"up"|"unhealthy"|"draining"|"down","port":43121,"latencyMs":0,"reason":"killed"}
 *     @@svs-event {"type":"request","id":"r17","method":"GET","path":"/cart","instance":2,"status":200,"session":"ab12…"|null,"ms":3}
 *     @@svs-event {"type":"failover","id":"r18","from":2,"to":3}
 *     @@svs-event {"type":"store",…} and {"type":"cache",…} from the store and the cache
 *   `session` is the value of a cookie named sid, session, sessionid or session_id on the request
 *   (or set by the response); `ms` is the time until the instance's answer began. `reason` on a
 *   down event is killed, exited, drained, drain-deadline, exit-deadline or stopped; on unhealthy,
 *   what the health check saw; `latency` when only latencyMs changed. A request's event is printed
 *   before its answer is passed on to the client.
 */
import http from 'node:http';
import { createPool } from './balancer-pool.mjs';
import { createProxy } from './balancer-proxy.mjs';
import { createRouter, keyReader, STRATEGIES } from './balancer-routing.mjs';
import { watchLifecycle } from './lifecycle.mjs';
import { EVENT_MARKER } from './protocol.mjs';

const USAGE =
  'Usage: node _kit/balancer.mjs [--instances 1-9] [--strategy round-robin|sticky|least-connections|hash] [--hash-key cookie:sid] [--health /health] [--health-interval 500] [--store] [--cache] server.js';

function usage(problem) {
  process.stderr.write(`[balancer] ${problem}\n${USAGE}\n`);
  process.exit(2);
}

function parseArguments(argv) {
  const options = {
    instances: 3,
    strategy: 'round-robin',
    hashKey: undefined,
    health: null,
    intervalMs: 1000,
    store: false,
    cache: false,
    entry: 'server.js',
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--instances') options.instances = Number(argv[++i]);
    else if (arg === '--strategy') options.strategy = argv[++i];
    else if (arg === '--hash-key') options.hashKey = argv[++i];
    else if (arg === '--health') options.health = argv[++i];
    else if (arg === '--health-interval') options.intervalMs = Number(argv[++i]);
    else if (arg === '--store') options.store = true;
    else if (arg === '--cache') options.cache = true;
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.entry = arg;
  }
  if (!Number.isInteger(options.instances) || options.instances < 1 || options.instances > 9) {
    usage('--instances must be a whole number from 1 to 9');
  }
  if (!STRATEGIES.includes(options.strategy))
    usage(`--strategy must be one of ${STRATEGIES.join(', ')}`);
  if (options.hashKey !== undefined && !keyReader(options.hashKey)) {
    usage('--hash-key must be cookie:<name>, header:<name>, query:<name> or path');
  }
  if (options.health !== null && !options.health?.startsWith('/'))
    usage('--health must be a path such as /health');
  if (!(options.intervalMs >= 50 && options.intervalMs <= 60_000))
    usage('--health-interval must be 50 to 60000 ms');
  return options;
}

const options = parseArguments(process.argv.slice(2));
const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT) || 8080;
const givenPorts = (process.env.SVS_PORTS || '')
  .split(',')
  .map(Number)
  .filter((p) => Number.isInteger(p) && p > 0);

const emit = (event) => process.stdout.write(`${EVENT_MARKER} ${JSON.stringify(event)}\n`);
const say = (text) => process.stdout.write(`[balancer] ${text}\n`);

let storeService = null;
let cacheProxy = null;
const pool = createPool({
  count: options.instances,
  entry: options.entry,
  ports: givenPorts,
  health: options.health && { path: options.health, intervalMs: options.intervalMs },
  emit,
  say,
  env: () => (storeService ? { STORE_URL: storeService.url } : {}),
});
const { instances } = pool;
const choose = createRouter({ strategy: options.strategy, hashKey: options.hashKey, instances });
const balancer = http.createServer(
  createProxy({ instances, choose, entry: options.entry, emit, say, onRefused: pool.refused }),
);

function runCommand(line) {
  const [word, arg, extra] = line.trim().split(/\s+/);
  if (!word) return;
  if (word === 'store') {
    if (storeService) storeService.control(line.trim().slice('store'.length).trim());
    else say('this lab runs without a store (start the balancer with --store)');
    return;
  }
  if (word === 'cache') {
    if (cacheProxy) cacheProxy.control(line.trim().slice('cache'.length).trim());
    else say('this lab runs without a cache (start the balancer with --cache)');
    return;
  }
  if (word === 'status') {
    say(
      instances
        .map((i) => `${i.n}:${i.state}${i.latencyMs ? `(+${i.latencyMs}ms)` : ''}`)
        .join('  '),
    );
    return;
  }
  if (!['kill', 'start', 'restart', 'drain', 'latency'].includes(word)) {
    say(
      'commands: kill N, start N, drain N, restart N, latency N 100ms, status, store …, cache stats, shutdown',
    );
    return;
  }
  const instance = instances[Number(arg) - 1];
  if (!instance) {
    say(`there is no instance "${arg}"; use a number from 1 to ${instances.length}`);
    return;
  }
  const duration = (text) => {
    const match = /^(\d+)(ms|s)?$/.exec(text ?? '');
    return match ? Math.min(Number(match[1]) * (match[2] === 's' ? 1000 : 1), 60_000) : null;
  };
  if (word === 'drain' && extra !== undefined) {
    if (duration(extra) === null) say('usage: drain N [deadline, e.g. 10s]');
    else pool.drain(instance, duration(extra));
    return;
  }
  if (word === 'latency') {
    const match = /^(\d+)(ms|s)?$/.exec(extra ?? '');
    if (!match) say('usage: latency N 100ms (latency N 0 to undo)');
    else
      pool.setLatency(instance, Math.min(Number(match[1]) * (match[2] === 's' ? 1000 : 1), 60_000));
    return;
  }
  pool[word](instance);
}

let shuttingDown = false;
/** Stops every instance, then exits: gracefully on `shutdown`, at once when our parent is gone. */
async function shutdown(reason) {
  if (shuttingDown) return;
  shuttingDown = true;
  balancer.close();
  const graceMs = reason === 'shutdown' || reason === 'SIGTERM' ? 1000 : 0;
  await pool.closeAll(graceMs);
  process.exit(0);
}

process.on('exit', () => {
  for (const instance of instances) instance.child?.kill('SIGKILL');
});
watchLifecycle({ onShutdown: shutdown, onCommand: runCommand });

if (options.store) {
  const { createStoreService } = await import('./store-server.mjs');
  storeService = createStoreService({
    port: Number(process.env.STORE_PORT) || 0,
    emit,
    say: (text) => say(`store: ${text}`),
  });
  await storeService.start();
  say(`store at ${storeService.url} (given to every instance as STORE_URL)`);
}

balancer.on('error', (error) => {
  say(`cannot listen: ${error.message}`);
  process.exit(1);
});
// With a cache, the cache takes PORT and the balancer listens behind it on a port of its own.
const balancerPort = options.cache ? 0 : PORT;
balancer.listen(balancerPort, options.cache ? '127.0.0.1' : HOST, async () => {
  const port = balancer.address().port;
  if (options.cache) {
    const { createCacheProxy } = await import('./cache.mjs');
    cacheProxy = createCacheProxy({
      upstream: `http://127.0.0.1:${port}`,
      emit,
      say: (text) => say(`cache: ${text}`),
    });
    await cacheProxy.listen(PORT, HOST).catch((error) => {
      say(`cannot listen on ${HOST}:${PORT}: ${error.message}`);
      process.exit(1);
    });
  }
  say(
    `listening on http://${HOST}:${PORT}, ${options.strategy}, ${instances.length} instance(s) of ${options.entry}${options.cache ? ', behind the shared cache' : ''}`,
  );
  emit({
    type: 'balancer',
    port: PORT,
    instances: instances.length,
    strategy: options.strategy,
    health: options.health,
  });
  pool.checkHealth();
  for (const instance of instances) pool.start(instance);
});
