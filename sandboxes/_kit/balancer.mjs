/**
 * A small HTTP load balancer for multi-instance labs. Node built-ins only; Node 18+.
 *
 *   node _kit/balancer.mjs [--instances 3] [--strategy round-robin|sticky] [--store] server.js
 *
 * - Listens on PORT (bound to HOST, default 127.0.0.1) and starts N copies of server.js, each with
 *   its own PORT, HOST=127.0.0.1 and INSTANCE=n (numbered from 1). Instance ports come from
 *   SVS_PORTS=p1,p2,… when the runtime provides them, else from the OS. An instance keeps its port
 *   across restarts.
 * - round-robin: each request goes to the next instance that is up.
 *   sticky: the first answer sets the cookie `svs_lb=<n>`; later requests carrying it go to
 *   instance n while it is up, and to another instance (with a failover event) when it is not.
 * - Every answer carries `x-served-by: instance-<n>`. When no instance is up the balancer
 *   answers 502 with a readable HTML page.
 * - --store starts the kit's key-value store (needs "store" in the lab's kit) and gives every
 *   instance its address as STORE_URL.
 * - Commands on stdin, one per line: `kill N` (the instance crashes: SIGKILL), `start N`,
 *   `restart N` (SIGTERM, wait, start again), `status`, `help`.
 * - Output: instance output prefixed `[n] `, its own messages prefixed `[balancer] `, and one
 *   event line per routed request and per change, for the topology view:
 *     @@svs-event {"type":"balancer","port":8080,"instances":3,"strategy":"round-robin"}
 *     @@svs-event {"type":"instance","instance":2,"state":"starting"|"up"|"down","port":43121,"reason":"killed"}
 *     @@svs-event {"type":"request","id":"r17","method":"GET","path":"/cart","instance":2,"status":200,"session":"ab12…"|null,"ms":3}
 *     @@svs-event {"type":"failover","id":"r18","from":2,"to":3}
 *   `session` is the value of a cookie named sid, session, sessionid or session_id on the request
 *   (or set by the response); `ms` is the time until the instance's answer began; `reason` on a
 *   down event is killed, exited, restart or stopped. A request's event is printed before its
 *   answer is passed on to the client.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';
import { EVENT_MARKER } from './protocol.mjs';

const STICKY_COOKIE = 'svs_lb';
const SESSION_COOKIES = ['sid', 'session', 'sessionid', 'session_id'];
const INSTANCE_HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30000;
const UPSTREAM_TIMEOUT_MS = 30000;

// ---------------------------------------------------------------------------------------------
// Arguments

function usage(problem) {
  process.stderr.write(
    `[balancer] ${problem}\nUsage: node _kit/balancer.mjs [--instances 1-9] [--strategy round-robin|sticky] [--store] server.js\n`,
  );
  process.exit(2);
}

function parseArguments(argv) {
  const options = { instances: 3, strategy: 'round-robin', store: false, entry: 'server.js' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--instances') options.instances = Number(argv[++i]);
    else if (arg === '--strategy') options.strategy = argv[++i];
    else if (arg === '--store') options.store = true;
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.entry = arg;
  }
  if (!Number.isInteger(options.instances) || options.instances < 1 || options.instances > 9) {
    usage('--instances must be a whole number from 1 to 9');
  }
  if (options.strategy !== 'round-robin' && options.strategy !== 'sticky') {
    usage('--strategy must be round-robin or sticky');
  }
  return options;
}

const options = parseArguments(process.argv.slice(2));
const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT) || 8080;
const givenPorts = (process.env.SVS_PORTS || '')
  .split(',')
  .map(Number)
  .filter((p) => Number.isInteger(p) && p > 0);

// ---------------------------------------------------------------------------------------------
// Output

const emit = (event) => process.stdout.write(`${EVENT_MARKER} ${JSON.stringify(event)}\n`);
const say = (text) => process.stdout.write(`[balancer] ${text}\n`);

/** Copies a child's output line by line with a prefix, so its lines can never pass for events. */
function relay(stream, prefix, target) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) target.write(`${prefix}${line}\n`);
  });
  stream.on('end', () => {
    if (partial) target.write(`${prefix}${partial}\n`);
  });
}

// ---------------------------------------------------------------------------------------------
// Instances

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, INSTANCE_HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: INSTANCE_HOST });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** { n, port, state: 'down'|'starting'|'up', child, exited: Promise|null } */
const instances = Array.from({ length: options.instances }, (_, i) => ({
  n: i + 1,
  port: givenPorts[i] || 0,
  state: 'down',
  child: null,
  exited: null,
}));
let storeUrl = null;
let shuttingDown = false;

function setState(instance, state, reason) {
  instance.state = state;
  const event = { type: 'instance', instance: instance.n, state, port: instance.port };
  if (reason) event.reason = reason;
  emit(event);
}

async function startInstance(instance) {
  if (instance.state !== 'down') {
    say(`instance ${instance.n} is already ${instance.state}`);
    return;
  }
  if (instance.exited) await instance.exited; // the old process must let go of the port first
  if (!instance.port) instance.port = await freePort();
  const env = {
    ...process.env,
    PORT: String(instance.port),
    HOST: INSTANCE_HOST,
    INSTANCE: String(instance.n),
  };
  delete env.SVS_PORTS;
  if (storeUrl) env.STORE_URL = storeUrl;

  const child = spawn(process.execPath, [options.entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  instance.child = child;
  setState(instance, 'starting');
  relay(child.stdout, `[${instance.n}] `, process.stdout);
  relay(child.stderr, `[${instance.n}] `, process.stderr);
  instance.exited = new Promise((resolve) => {
    child.once('error', (error) => {
      say(`instance ${instance.n} could not start: ${error.message}`);
      resolve();
    });
    child.once('exit', (code, signal) => {
      if (instance.child === child) {
        instance.child = null;
        if (instance.state !== 'down') {
          if (!shuttingDown)
            say(`instance ${instance.n} stopped (${signal || `exit code ${code}`})`);
          setState(instance, 'down', shuttingDown ? 'stopped' : 'exited');
        }
      }
      resolve();
    });
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (instance.child === child && instance.state === 'starting') {
    if (await canConnect(instance.port)) {
      if (instance.child === child && instance.state === 'starting') setState(instance, 'up');
      return;
    }
    if (Date.now() > deadline) {
      say(
        `instance ${instance.n} did not listen on its PORT (${instance.port}) within 30 s; stopping it`,
      );
      setState(instance, 'down', 'exited');
      child.kill('SIGKILL');
      return;
    }
    await sleep(50);
  }
}

function killInstance(instance) {
  if (instance.state === 'down') {
    say(`instance ${instance.n} is already down`);
    return;
  }
  // Marked down first so no new request is routed to it while it dies.
  setState(instance, 'down', 'killed');
  instance.child?.kill('SIGKILL');
}

async function restartInstance(instance) {
  if (instance.state !== 'down') {
    const child = instance.child;
    setState(instance, 'down', 'restart');
    if (child) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      await instance.exited;
      clearTimeout(force);
    }
  }
  await startInstance(instance);
}

// ---------------------------------------------------------------------------------------------
// Routing

function parseCookies(header) {
  const cookies = {};
  for (const part of (header || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

function sessionOf(cookies, setCookieHeaders) {
  for (const name of SESSION_COOKIES) {
    if (cookies[name]) return cookies[name].slice(0, 64);
  }
  for (const header of setCookieHeaders || []) {
    const [pair] = header.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1).trim();
    if (eq > 0 && SESSION_COOKIES.includes(name) && value) return value.slice(0, 64);
  }
  return null;
}

let nextIndex = 0;

function nextUp() {
  for (let tried = 0; tried < instances.length; tried += 1) {
    const instance = instances[(nextIndex + tried) % instances.length];
    if (instance.state === 'up') {
      nextIndex = (instances.indexOf(instance) + 1) % instances.length;
      return instance;
    }
  }
  return null;
}

/** -> { instance, pin: boolean, failoverFrom: number|null } or null when none is up. */
function choose(cookies) {
  if (options.strategy !== 'sticky') {
    const instance = nextUp();
    return instance && { instance, pin: false, failoverFrom: null };
  }
  const pinned = instances[Number(cookies[STICKY_COOKIE]) - 1];
  if (pinned && pinned.state === 'up') return { instance: pinned, pin: false, failoverFrom: null };
  const instance = nextUp();
  return instance && { instance, pin: true, failoverFrom: pinned ? pinned.n : null };
}

const escapeHtml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function errorPage(res, status, heading, explanation) {
  const rows = instances
    .map((i) => `<li>Instance ${i.n} (port ${i.port || '–'}): <strong>${i.state}</strong></li>`)
    .join('');
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${status} · ${escapeHtml(heading)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:38em;margin:3em auto;padding:0 1em}code{font-size:.95em}</style></head>
<body><h1>${escapeHtml(heading)}</h1><p>${explanation}</p><ul>${rows}</ul>
<p>Start an instance from the topology view, or type <code>start 1</code> in the terminal. If an instance stopped by itself, the reason is in the terminal output.</p>
<p><small>${status} from the course's load balancer, not from your server.</small></p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(body);
}

let requestCount = 0;
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

function withoutHopHeaders(headers) {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

const balancer = http.createServer((req, res) => {
  const id = `r${++requestCount}`;
  const started = Date.now();
  const cookies = parseCookies(req.headers.cookie);
  const report = (instance, status, setCookies) =>
    emit({
      type: 'request',
      id,
      method: req.method,
      path: req.url,
      instance,
      status,
      session: sessionOf(cookies, setCookies),
      ms: Date.now() - started,
    });

  const choice = choose(cookies);
  if (!choice) {
    report(null, 502, null);
    errorPage(
      res,
      502,
      'No server instance is up',
      `The load balancer received <code>${escapeHtml(`${req.method} ${req.url}`)}</code>, but none of the ${instances.length} instances of <code>${escapeHtml(options.entry)}</code> is running, so nobody could answer.`,
    );
    req.resume();
    return;
  }
  const { instance, pin, failoverFrom } = choice;
  if (failoverFrom !== null) {
    emit({ type: 'failover', id, from: failoverFrom, to: instance.n });
    say(`instance ${failoverFrom} is down; sending this visitor to instance ${instance.n} instead`);
  }

  const headers = withoutHopHeaders(req.headers);
  headers['x-forwarded-for'] = req.socket.remoteAddress || '';
  headers['x-forwarded-proto'] = 'http';
  const upstream = http.request(
    {
      host: INSTANCE_HOST,
      port: instance.port,
      method: req.method,
      path: req.url,
      headers,
      agent: false,
    },
    (answer) => {
      const out = withoutHopHeaders(answer.headers);
      const setCookies = answer.headers['set-cookie'] || [];
      if (pin)
        out['set-cookie'] = [
          ...setCookies,
          `${STICKY_COOKIE}=${instance.n}; Path=/; HttpOnly; SameSite=Lax`,
        ];
      out['x-served-by'] = `instance-${instance.n}`;
      // Reported before the answer is passed on, so the event is out by the time the client has it.
      report(instance.n, answer.statusCode, setCookies);
      res.writeHead(answer.statusCode, answer.statusMessage, out);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    },
  );
  upstream.setTimeout(UPSTREAM_TIMEOUT_MS, () => upstream.destroy(new Error('timeout')));
  upstream.on('error', (error) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const timedOut = error.message === 'timeout';
    const status = timedOut ? 504 : 502;
    report(instance.n, status, null);
    errorPage(
      res,
      status,
      timedOut
        ? `Instance ${instance.n} did not answer in time`
        : `Instance ${instance.n} did not answer`,
      `The load balancer sent <code>${escapeHtml(`${req.method} ${req.url}`)}</code> to instance ${instance.n}, which ${timedOut ? 'had not answered after 30 seconds' : `failed: ${escapeHtml(error.code || error.message)}`}.`,
    );
  });
  req.pipe(upstream);
});

// ---------------------------------------------------------------------------------------------
// Commands and lifecycle

function runCommand(line) {
  const [word, arg] = line.trim().split(/\s+/);
  if (!word) return;
  if (word === 'status') {
    say(instances.map((i) => `${i.n}:${i.state}`).join('  '));
    return;
  }
  if (word === 'help' || !['kill', 'start', 'restart'].includes(word)) {
    say('commands: kill N, start N, restart N, status');
    return;
  }
  const instance = instances[Number(arg) - 1];
  if (!instance) {
    say(`there is no instance "${arg}"; use a number from 1 to ${instances.length}`);
    return;
  }
  if (word === 'kill') killInstance(instance);
  else if (word === 'start') startInstance(instance);
  else restartInstance(instance);
}

function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const instance of instances) instance.child?.kill('SIGKILL');
  balancer.close();
  process.exit(0);
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('exit', () => {
  for (const instance of instances) instance.child?.kill('SIGKILL');
});

readline.createInterface({ input: process.stdin }).on('line', runCommand);

if (options.store) {
  const { createStoreServer } = await import('./store.mjs');
  const store = createStoreServer();
  await new Promise((resolve) => store.listen(0, INSTANCE_HOST, resolve));
  storeUrl = `http://${INSTANCE_HOST}:${store.address().port}`;
  say(`session store at ${storeUrl} (given to every instance as STORE_URL)`);
}

balancer.on('error', (error) => {
  say(`cannot listen on ${HOST}:${PORT}: ${error.message}`);
  process.exit(1);
});
balancer.listen(PORT, HOST, () => {
  say(
    `listening on http://${HOST}:${PORT}, ${options.strategy}, ${instances.length} instance(s) of ${options.entry}`,
  );
  emit({ type: 'balancer', port: PORT, instances: instances.length, strategy: options.strategy });
  for (const instance of instances) startInstance(instance);
});
