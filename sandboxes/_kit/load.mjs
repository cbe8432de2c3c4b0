/**
 * The kit's load generator: drives HTTP requests at a server, then reports requests/s, latency
 * percentiles, errors by kind and the share each instance served (from `x-served-by`). Node
 * built-ins only; Node 20 and 22.
 *
 *   node _kit/load.mjs --rate 200 --duration 5s /cart          200 requests/s for 5 s
 *   node _kit/load.mjs --concurrency 20 --requests 2000 /      20 at a time, 2000 in all
 *   options: --url http://127.0.0.1:8080 (default: PORT's), --method POST, --body '{"a":1}',
 *            --header 'cookie: sid=ab12' (repeatable), --timeout 5s, --json (print JSON only)
 *
 *   import { load } from './_kit/load.mjs';                  // or from check-helpers.mjs
 *   const summary = await load(cluster, { path: '/cart', concurrency: 10, duration: '2s' });
 *
 * Fixed concurrency (a closed loop: each worker sends its next request when the last answers)
 * or a fixed arrival rate (an open loop: requests start on schedule whether or not earlier ones
 * have answered; latency then includes any queueing). Stop after `duration` or `requests`.
 * Caps, so a typo cannot freeze a laptop: concurrency 1-256, rate 1-20,000/s, duration up to
 * 60 s, requests up to 1,000,000, and at most 2,000 requests in flight in rate mode.
 * Summary: { requests, ok, rps, durationMs, latency: { p50, p90, p99, max, mean } (ms),
 *            errors: { 'status 503': 2, ECONNREFUSED: 1, timeout: 0 }, statuses: { 200: 998 },
 *            served: { 'instance-1': 0.5, 'instance-2': 0.5 } }
 * From the terminal it also prints one `@@svs-measure {"type":"load",…}` line for the course page.
 *
 * Progress: `onProgress` (an option of load()) hears a snapshot every `progressEveryMs` (500 ms)
 * while the load runs, and once more at the end. From the terminal, each snapshot becomes an event
 * line the course page draws as a progress bar with live requests/s (a check can do the same with
 * `onProgress: printProgress`):
 *   @@svs-event {"type":"load","state":"running"|"done","elapsedMs":1200,"durationMs":5000|null,
 *                "requests":240,"target":null|2000,"rps":198.5,"errors":0}
 * `rps` counts the answers of the last interval only, so it moves as the server slows down.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { EVENT_MARKER, MEASURE_MARKER } from './protocol.mjs';

export const PROGRESS_EVERY_MS = 500;

/** Prints a progress snapshot as the event line the course page reads. */
export function printProgress(progress) {
  process.stdout.write(`${EVENT_MARKER} ${JSON.stringify({ type: 'load', ...progress })}\n`);
}

export const CAPS = {
  concurrency: 256,
  rate: 20_000,
  durationMs: 60_000,
  requests: 1_000_000,
  inFlight: 2000,
};

/** '5s', '500ms', '1m' or a number of ms -> ms. */
export function parseDuration(value) {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(value).trim());
  if (!match) throw new Error(`"${value}" is not a duration; write 5s, 500ms or 1m`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 'ms'];
}

function validate({ rate, concurrency, durationMs, requests }) {
  const problems = [];
  if ((rate === undefined) === (concurrency === undefined))
    problems.push('give either a rate or a concurrency');
  if (rate !== undefined && !(rate >= 1 && rate <= CAPS.rate))
    problems.push(`rate must be 1 to ${CAPS.rate} requests/s`);
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= CAPS.concurrency)
  )
    problems.push(`concurrency must be a whole number from 1 to ${CAPS.concurrency}`);
  if ((durationMs === undefined) === (requests === undefined))
    problems.push('give either a duration or a request count');
  if (durationMs !== undefined && !(durationMs > 0 && durationMs <= CAPS.durationMs))
    problems.push(`duration must be above 0 and at most ${CAPS.durationMs / 1000} s`);
  if (
    requests !== undefined &&
    !(Number.isInteger(requests) && requests >= 1 && requests <= CAPS.requests)
  )
    problems.push(`requests must be a whole number from 1 to ${CAPS.requests}`);
  if (problems.length) throw new Error(`load: ${problems.join('; ')}`);
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
const round = (ms) => Math.round(ms * 100) / 100;

/** Runs the load and resolves with the summary. `target` is a URL or anything with a `url`. */
export async function load(target, options = {}) {
  const {
    path = '/',
    method = 'GET',
    headers = {},
    body,
    rate,
    concurrency,
    requests,
    timeout = 5000,
    onProgress,
    progressEveryMs = PROGRESS_EVERY_MS,
  } = options;
  const durationMs = options.duration === undefined ? undefined : parseDuration(options.duration);
  validate({ rate, concurrency, durationMs, requests });
  const base = new URL(typeof target === 'string' ? target : target.url);
  const url = new URL(path, base);
  const timeoutMs = parseDuration(timeout);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency ?? CAPS.inFlight });
  const payload =
    body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const sendHeaders = { ...headers };
  if (payload !== undefined) {
    sendHeaders['content-length'] = Buffer.byteLength(payload);
    sendHeaders['content-type'] ??= 'application/json';
  }

  const latencies = [];
  const errors = {};
  const statuses = {};
  const served = {};
  let started = 0;
  let finished = 0;
  let ok = 0;
  const begin = performance.now();
  const timeUp = () =>
    durationMs !== undefined ? performance.now() - begin >= durationMs : started >= requests;

  let lastTick = { at: begin, finished: 0 };
  const snapshot = (state) => {
    const now = performance.now();
    const span = state === 'done' ? now - begin : now - lastTick.at;
    const answered = state === 'done' ? finished : finished - lastTick.finished;
    lastTick = { at: now, finished };
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
    return {
      state,
      elapsedMs: Math.round(now - begin),
      durationMs: durationMs ?? null,
      requests: finished,
      target: requests ?? null,
      rps: span > 0 ? Math.round((answered / span) * 1000 * 10) / 10 : 0,
      errors: errorCount,
    };
  };
  const ticker =
    typeof onProgress === 'function'
      ? setInterval(() => onProgress(snapshot('running')), progressEveryMs)
      : null;

  const one = () =>
    new Promise((resolve) => {
      started += 1;
      const sent = performance.now();
      const done = (kind) => {
        finished += 1;
        if (kind) errors[kind] = (errors[kind] ?? 0) + 1;
        resolve();
      };
      const req = http.request(url, { method, headers: sendHeaders, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - sent);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          const by = res.headers['x-served-by'];
          if (by) served[by] = (served[by] ?? 0) + 1;
          if (res.statusCode < 400) {
            ok += 1;
            done(null);
          } else done(`status ${res.statusCode}`);
        });
        res.on('error', () => done('ECONNRESET'));
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })),
      );
      req.on('error', (error) => done(error.code || error.message));
      req.end(payload);
    });

  if (concurrency !== undefined) {
    const worker = async () => {
      while (!timeUp()) await one();
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } else {
    // Every arrival scheduled before the end is sent, late if this process was starved of CPU:
    // stopping at the clock instead would quietly drop load and report a lower rate than asked.
    const scheduled = durationMs !== undefined ? Math.ceil((durationMs / 1000) * rate) : requests;
    await new Promise((resolve) => {
      const inFlight = new Set();
      const tick = setInterval(() => {
        // The first arrival is at time 0, then one every 1000 / rate ms.
        const due = Math.min(
          Math.floor(((performance.now() - begin) / 1000) * rate) + 1,
          scheduled,
        );
        while (started < due) {
          if (inFlight.size >= CAPS.inFlight) {
            started += 1;
            errors['skipped: 2000 requests already in flight'] =
              (errors['skipped: 2000 requests already in flight'] ?? 0) + 1;
            continue;
          }
          const p = one().then(() => inFlight.delete(p));
          inFlight.add(p);
        }
        if (started >= scheduled) {
          clearInterval(tick);
          Promise.all(inFlight).then(resolve);
        }
      }, 2);
    });
  }
  if (ticker !== null) {
    clearInterval(ticker);
    onProgress(snapshot('done'));
  }
  const elapsed = performance.now() - begin;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const total = Object.values(served).reduce((a, b) => a + b, 0);
  return {
    requests: finished,
    ok,
    rps: Math.round((finished / elapsed) * 1000 * 10) / 10,
    durationMs: Math.round(elapsed),
    latency: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
      mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    },
    errors,
    statuses,
    served: Object.fromEntries(
      Object.entries(served)
        .sort()
        .map(([k, n]) => [k, Math.round((n / total) * 1000) / 1000]),
    ),
  };
}

/** The summary as a few lines a learner reads at a glance. */
export function formatSummary(s) {
  const errors =
    Object.entries(s.errors)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ') || 'none';
  const served =
    Object.entries(s.served)
      .map(([k, share]) => `${k} ${Math.round(share * 100)}%`)
      .join('  ') || 'no x-served-by header';
  return [
    `${s.requests} requests in ${(s.durationMs / 1000).toFixed(1)} s: ${s.rps} requests/s (${s.ok} ok)`,
    `latency  p50 ${s.latency.p50} ms  p90 ${s.latency.p90} ms  p99 ${s.latency.p99} ms  max ${s.latency.max} ms`,
    `errors   ${errors}`,
    `served   ${served}`,
  ].join('\n');
}

function parseCommandLine(argv) {
  const options = { headers: {} };
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === '--rate') options.rate = Number(value());
    else if (arg === '--concurrency') options.concurrency = Number(value());
    else if (arg === '--duration') options.duration = value();
    else if (arg === '--requests') options.requests = Number(value());
    else if (arg === '--url') options.url = value();
    else if (arg === '--method') options.method = value().toUpperCase();
    else if (arg === '--body') options.body = value();
    else if (arg === '--timeout') options.timeout = value();
    else if (arg === '--json') json = true;
    else if (arg === '--header') {
      const [name, ...rest] = value().split(':');
      options.headers[name.trim().toLowerCase()] = rest.join(':').trim();
    } else if (arg.startsWith('--')) throw new Error(`load: unknown option ${arg}`);
    else options.path = arg;
  }
  return { options, json };
}

async function main() {
  try {
    const { options, json } = parseCommandLine(process.argv.slice(2));
    const url = options.url ?? `http://127.0.0.1:${Number(process.env.PORT) || 8080}`;
    // The terminal's own output stays a summary; the progress lines are for the page.
    const summary = await load(url, { ...options, onProgress: json ? undefined : printProgress });
    if (json) return console.log(JSON.stringify(summary));
    console.log(formatSummary(summary));
    console.log(
      `${MEASURE_MARKER} ${JSON.stringify({ type: 'load', path: options.path ?? '/', ...summary })}`,
    );
  } catch (error) {
    console.error(error.message);
    console.error(
      'Usage: node _kit/load.mjs (--rate N | --concurrency N) (--duration 5s | --requests N) [--url URL] /path',
    );
    process.exitCode = 2;
  }
  return undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
