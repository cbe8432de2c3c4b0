import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalSpawnOptions } from '../../../../src/runtime/local/index.ts';
import type { WebSocketConstructor } from '../../../../src/runtime/local/protocol.ts';
import {
  RuntimeError,
  type Runtime,
  type ServerReadyEvent,
} from '../../../../src/runtime/types.ts';
import { startCourse, type Course } from '../../runner/harness.ts';

/** What a browser adds by itself on the course page: the Origin header. */
function asCoursePage(origin: string) {
  const fetchFromPage: typeof fetch = (input, init = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), origin } });
  class PageWebSocket extends NodeWebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols, { origin });
    }
  }
  return { fetch: fetchFromPage, WebSocket: PageWebSocket as unknown as WebSocketConstructor };
}

async function readAll(stream: ReadableStream<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream as unknown as AsyncIterable<string>) text += chunk;
  return text;
}

describe('local runtime client', () => {
  let course: Course;
  let runtime: Runtime;
  beforeAll(async () => {
    course = await startCourse();
    runtime = createLocalRuntime({ baseUrl: course.origin, ...asCoursePage(course.origin) });
    await runtime.boot();
  });
  afterAll(async () => {
    await runtime.teardown();
    await course.close();
  });

  it('mounts, writes and reads files', async () => {
    await runtime.mount({ 'a.js': 'one' });
    await runtime.writeFile('b.js', 'two');
    expect(await runtime.readFile('a.js')).toBe('one');
    expect(await runtime.readFile('b.js')).toBe('two');
  });

  it('turns a refused path into a RuntimeError the UI can show', async () => {
    const error = await runtime.writeFile('../escape.js', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('rejected');
    expect((error as RuntimeError).message).toContain('..');
  });

  it('runs a process: output, stdin and exit code', async () => {
    await runtime.mount({
      'echo.js':
        'console.log("ready"); process.stdin.once("data", (d) => { console.log("got " + d); process.exit(3); });',
    });
    const notAServer: LocalSpawnOptions = { expectsServer: false };
    const child = await runtime.spawn('node', ['echo.js'], notAServer);
    const output = readAll(child.output);
    await child.write('hi');
    expect(await child.exit).toBe(3);
    expect(await output).toBe('ready\ngot hi\n');
  });

  it('reports a server as ready with a preview URL that serves it, and kills it', async () => {
    await runtime.mount({
      'server.js': `require('node:http').createServer((q, s) => s.end('hi ' + process.env.SVS_GREETING)).listen(Number(process.env.PORT), process.env.HOST);`,
    });
    const ready = new Promise<ServerReadyEvent>((resolve) => {
      const stop = runtime.onServerReady((event) => {
        stop();
        resolve(event);
      });
    });
    const server = await runtime.spawn('node', ['server.js'], { env: { SVS_GREETING: 'there' } });
    const { url } = await ready;
    expect(await (await fetch(url)).text()).toBe('hi there');
    await server.kill();
    expect(await server.exit).not.toBe(0);
  });

  it('says how to start the runner when nothing answers', async () => {
    const nowhere = createLocalRuntime({
      baseUrl: 'http://127.0.0.1:9',
      ...asCoursePage('http://127.0.0.1:9'),
    });
    const error = await nowhere.boot().catch((e: unknown) => e);
    expect((error as RuntimeError).code).toBe('runner-unreachable');
    expect((error as RuntimeError).message).toContain('npm start');
  });
});
