/**
 * The kit's key-value store, Redis-shaped (commands: store-engine.mjs; wire and control:
 * store-server.mjs). A separate process, so data outlives a restart of the learner's server, and a
 * service you can stop, slow down or break to see what your server does then. Node built-ins only.
 *
 *   node _kit/store.mjs              the store alone, on PORT (HOST, default 127.0.0.1)
 *   node _kit/store.mjs server.js    the store on STORE_PORT (or a free port) and `node server.js`
 *                                    beside it, with PORT passed through and STORE_URL set
 *
 * Commands on stdin, one per line (the `store ` prefix is optional):
 *   store stop [keep-data|lose-data] · store start · store delay 50ms · store fault refuse|hang|off
 *   store stats [reset] · store flush · restart (your server only) · shutdown (everything)
 * From your server, use _kit/store-client.mjs. From a check, use startStore() in the helpers.
 */
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild, watchLifecycle } from './lifecycle.mjs';
import { EVENT_MARKER } from './protocol.mjs';
import { createStoreService } from './store-server.mjs';

export { createStoreService };

const say = (text) => process.stdout.write(`[store] ${text}\n`);
const emit = (event) => process.stdout.write(`${EVENT_MARKER} ${JSON.stringify(event)}\n`);

const STORE_WORDS = ['stop', 'start', 'delay', 'fault', 'stats', 'flush'];

/** `store stop` and `stop` both reach the store; anything else is for the caller (or help). */
export function storeCommand(service, line, other = () => false) {
  const text = line.startsWith('store ') ? line.slice('store '.length).trim() : line;
  const word = text.split(/\s+/)[0];
  if (STORE_WORDS.includes(word) || line.startsWith('store ')) {
    service.control(text);
    return true;
  }
  return other(text);
}

async function main() {
  const entry = process.argv[2];
  const host = process.env.HOST || '127.0.0.1';
  const port = entry ? Number(process.env.STORE_PORT) || 0 : Number(process.env.PORT) || 8090;
  const service = createStoreService({ port, host: entry ? '127.0.0.1' : host, emit, say });
  try {
    await service.start();
  } catch {
    process.exit(1);
  }
  let child = null;
  const storeUrl = service.url;
  say(`listening on ${storeUrl}${entry ? ' (your server gets it as STORE_URL)' : ''}`);

  const start = () => {
    const current = spawnNode([entry], {
      env: { ...process.env, STORE_URL: storeUrl },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child = current;
    current.on('exit', (code, signal) => {
      // A restart clears `child` first, so only unexpected stops are announced.
      if (child !== current) return;
      say(`${entry} stopped (${signal || `exit code ${code}`}); type "restart" to start it again`);
    });
  };
  const restart = async () => {
    const old = child;
    child = null;
    await stopChild(old, { graceMs: 5000 });
    start();
  };
  const onCommand = (line) =>
    storeCommand(service, line, (text) => {
      if (entry && text === 'restart') restart();
      else {
        say(
          `commands: store stop [keep-data|lose-data], store start, store delay 50ms, store fault refuse|hang|off, store stats, store flush${entry ? ', restart' : ''}, shutdown`,
        );
      }
      return true;
    });
  const onShutdown = async (reason) => {
    const old = child;
    child = null;
    await stopChild(old, { graceMs: reason === 'shutdown' || reason === 'SIGTERM' ? 1000 : 0 });
    process.exit(0);
  };
  process.on('exit', () => child?.kill('SIGKILL'));
  watchLifecycle({ onShutdown, onCommand });
  if (entry) start();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
