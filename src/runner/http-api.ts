import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestGuard } from './guard.ts';
import { ApiError, type RunnerCore, type SpawnRequest } from './runner-core.ts';
import { pageMaySet } from './sandbox-env.ts';
import type { Page } from './page.ts';
import { API_PREFIX, SITE_PATTERN } from '../runtime/local/protocol.ts';

/**
 * The control API: `POST /__runner/<action>` with a JSON body, `X-Runner-Token` header and the
 * page id from the event stream's hello. POST-only with `application/json` means a cross-origin
 * page cannot even send a request without a CORS preflight, which is never granted (no
 * Access-Control-Allow-* header is ever sent).
 */

export { API_PREFIX } from '../runtime/local/protocol.ts';

type Body = Record<string, unknown>;
type Action = (core: RunnerCore, page: Page, body: Body) => Promise<unknown>;

const ACTIONS: Record<string, Action> = {
  mount: async (core, page, body) => (await core.mount(page, body['files']), {}),
  spawn: async (core, page, body) => core.spawn(page, parseSpawn(body, core)),
  stdin: async (core, page, body) => (core.write(page, body['process'], body['data']), {}),
  // A `shutdown` line first, then SIGTERM, then SIGKILL (sandbox-process.ts); `kill` is the old name.
  stop: async (core, page, body) => ({ code: await core.kill(page, body['process']) }),
  kill: async (core, page, body) => ({ code: await core.kill(page, body['process']) }),
  preview: async (core, page, body) => ({ url: await core.previewFor(page, body['port']) }),
  teardown: async (core, page) => (await core.teardown(page), {}),
};

export async function handleApi(
  core: RunnerCore,
  guard: RequestGuard,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const action = new URL(req.url ?? '/', 'http://runner').pathname.slice(API_PREFIX.length);
    const refusal = guard.checkCaller(req, true);
    if (refusal) throw new ApiError(refusal.status, refusal.reason);
    if (req.method !== 'POST') throw new ApiError(405, 'use POST');
    if (action === 'session') {
      // Reaching here proves a same-origin request from the course page (see guard.ts), and the
      // answer is unreadable cross-origin anyway, since no CORS header is ever sent.
      const stranger = guard.checkPeerUser(req);
      if (stranger) throw new ApiError(stranger.status, stranger.reason);
      return send(res, 200, { token: guard.token });
    }
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) throw new ApiError(404, 'unknown runner action');
    const token = req.headers['x-runner-token'];
    if (!guard.tokenMatches(typeof token === 'string' ? token : undefined))
      throw new ApiError(401, 'missing or wrong runner token; reload the page');
    if (!String(req.headers['content-type']).startsWith('application/json'))
      throw new ApiError(415, 'send JSON (Content-Type: application/json)');
    const body = await readJson(req, core.limits.maxBodyBytes);
    send(res, 200, await handler(core, core.page(body['page']), body));
  } catch (error) {
    if (error instanceof ApiError) return send(res, error.status, { error: error.message });
    send(res, 500, { error: 'the runner failed; see the terminal where the course runs' });
    throw error;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

function readJson(req: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    let size = 0;
    const chunks: Buffer[] = [];
    const tooLarge = () => new ApiError(413, `request body larger than ${maxBytes} bytes`);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      // Past the cap, keep draining so the client reads the 413, but not forever.
      else if (size > maxBytes * 8) req.destroy();
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > maxBytes || declared > maxBytes) return reject(tooLarge());
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return reject(new ApiError(400, 'the body must be a JSON object'));
        resolve(parsed as Body);
      } catch {
        reject(new ApiError(400, 'malformed JSON'));
      }
    });
  });
}

function parseSpawn(body: Body, core: RunnerCore): SpawnRequest {
  const {
    command,
    args = [],
    env = {},
    cwd,
    extraPorts = 0,
    deadlineMs,
    expectsServer,
    site,
  } = body;
  if (command !== 'node') throw new ApiError(400, 'only "node" can be started');
  if (!Array.isArray(args) || args.length > 64 || !args.every(isShortText))
    throw new ApiError(400, '"args" must be a list of at most 64 short strings');
  for (const arg of args as string[]) {
    const problem = nodeFlagProblem(arg);
    if (problem) throw new ApiError(400, `${arg.slice(0, 80)} ${problem}`);
  }
  if (typeof env !== 'object' || env === null || Array.isArray(env))
    throw new ApiError(400, '"env" must be an object');
  const entries = Object.entries(env);
  for (const [name, value] of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || !isShortText(value))
      throw new ApiError(400, `bad environment variable ${JSON.stringify(name.slice(0, 80))}`);
    if (!pageMaySet(name))
      throw new ApiError(
        400,
        `${name} may not be set by the page (only SVS_* names and NODE_ENV; PORT, HOST and SVS_PORTS come from the runner)`,
      );
  }
  if (entries.length > 64) throw new ApiError(400, 'too many environment variables');
  if (cwd !== undefined && typeof cwd !== 'string') throw new ApiError(400, '"cwd" must be text');
  const { maxExtraPorts, maxDeadlineMs } = core.limits;
  if (
    !Number.isInteger(extraPorts) ||
    (extraPorts as number) < 0 ||
    (extraPorts as number) > maxExtraPorts
  )
    throw new ApiError(400, `"extraPorts" must be 0..${maxExtraPorts}`);
  if (
    deadlineMs !== undefined &&
    (!Number.isInteger(deadlineMs) ||
      (deadlineMs as number) < 100 ||
      (deadlineMs as number) > maxDeadlineMs)
  )
    throw new ApiError(400, `"deadlineMs" must be 100..${maxDeadlineMs}`);
  if (expectsServer !== undefined && typeof expectsServer !== 'boolean')
    throw new ApiError(400, '"expectsServer" must be true or false');
  if (site !== undefined && (typeof site !== 'string' || !SITE_PATTERN.test(site)))
    throw new ApiError(400, '"site" must be a lab id: lowercase letters, digits and dashes');
  return {
    command,
    args: args as string[],
    env: env as Record<string, string>,
    cwd,
    extraPorts: extraPorts as number,
    deadlineMs: deadlineMs as number | undefined,
    expectsServer,
    site: site as string | undefined,
  };
}

/**
 * Why a node argument is refused, or null. Node reads `_` and `-` alike in option names
 * (`--inspect_brk`), so names are normalised before they are compared.
 *  - The inspector listens on a port of its own choosing (or on every interface with
 *    `--inspect=0.0.0.0`), outside the runner's port allocation, and whoever reaches it runs code.
 *  - Option files (`--env-file`, config files, OpenSSL's config) bring in settings the checks
 *    above never see: an env file can set NODE_OPTIONS=--inspect, an OpenSSL config can load a
 *    native module named by the page.
 */
export function nodeFlagProblem(arg: string): string | null {
  if (!arg.startsWith('--')) return null;
  const name = arg.slice(2).split('=')[0]!.replaceAll('_', '-').toLowerCase();
  if (/^(inspect|debug)/.test(name)) return 'would open a debugger port the runner cannot guard';
  if (OPTION_FILE_FLAGS.some((flag) => name === flag || name.startsWith(`${flag}-`)))
    return 'reads settings from a file the runner cannot check';
  return null;
}

const OPTION_FILE_FLAGS = [
  'env-file',
  'experimental-config-file',
  'experimental-default-config-file',
  'openssl-config',
  'openssl-shared-config',
  'experimental-sea-config',
  'snapshot-blob',
];

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 4096 && !value.includes('\u0000');
}
