/**
 * The kit balancer's HTTP side: forwards a request to the chosen instance, reports it as an event
 * line, and answers a readable 502/504 page when no instance can. Node built-ins only.
 */
import http from 'node:http';
import { parseCookies, sessionOf, STICKY_COOKIE } from './balancer-routing.mjs';

const INSTANCE_HOST = '127.0.0.1';
const UPSTREAM_TIMEOUT_MS = 30_000;
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

const escapeHtml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function withoutHopHeaders(headers) {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

function errorPage(res, instances, status, heading, explanation) {
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

/**
 * The request handler. `choose(req, cookies)` picks; `onRefused(instance)` hears about an
 * instance that refused a connection; `emit` prints event lines.
 */
export function createProxy({ instances, choose, entry, emit, say, onRefused }) {
  let requestCount = 0;
  return (req, res) => {
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

    const choice = choose(req, cookies);
    if (!choice) {
      report(null, 502, null);
      errorPage(
        res,
        instances,
        502,
        'No server instance is up',
        `The load balancer received <code>${escapeHtml(`${req.method} ${req.url}`)}</code>, but none of the ${instances.length} instances of <code>${escapeHtml(entry)}</code> could take it (each is down, starting, draining or failing its health check), so nobody could answer.`,
      );
      req.resume();
      return;
    }
    const { instance, pin, failoverFrom } = choice;
    if (failoverFrom !== null) {
      emit({ type: 'failover', id, from: failoverFrom, to: instance.n });
      say(
        `instance ${failoverFrom} is not taking requests; sending this visitor to instance ${instance.n} instead`,
      );
    }
    instance.inFlight += 1;
    let counted = true;
    const done = () => {
      if (counted) instance.inFlight -= 1;
      counted = false;
    };
    res.once('close', done);

    const headers = withoutHopHeaders(req.headers);
    headers['x-forwarded-for'] = req.socket.remoteAddress || '';
    headers['x-forwarded-proto'] = 'http';
    const forward = () => {
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
          if (pin) {
            out['set-cookie'] = [
              ...setCookies,
              `${STICKY_COOKIE}=${instance.n}; Path=/; HttpOnly; SameSite=Lax`,
            ];
          }
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
        if (error.code === 'ECONNREFUSED') onRefused(instance);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const timedOut = error.message === 'timeout';
        const status = timedOut ? 504 : 502;
        report(instance.n, status, null);
        errorPage(
          res,
          instances,
          status,
          timedOut
            ? `Instance ${instance.n} did not answer in time`
            : `Instance ${instance.n} did not answer`,
          `The load balancer sent <code>${escapeHtml(`${req.method} ${req.url}`)}</code> to instance ${instance.n}, which ${timedOut ? 'had not answered after 30 seconds' : `failed: ${escapeHtml(error.code || error.message)}`}.`,
        );
      });
      req.pipe(upstream);
    };
    // Injected latency sits in front of the instance, as a slow network or a busy host would.
    if (instance.latencyMs > 0) setTimeout(forward, instance.latencyMs);
    else forward();
  };
}
