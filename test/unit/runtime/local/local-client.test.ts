import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime as createLocalRuntime } from '../../../../src/runtime/local/index.ts';
import type { WebSocketConstructor } from '../../../../src/runtime/local/protocol.ts';
import {
  RuntimeError,
  type BootProgress,
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

  it('turns a refused path into a RuntimeError the UI can show', async () => {
    const error = await runtime.mount({ '../escape.js': 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('rejected');
    expect((error as RuntimeError).message).toContain('..');
  });

  it('runs a process: output, stdin and exit code', async () => {
    await runtime.mount({
      'echo.js':
        'console.log("ready"); process.stdin.once("data", (d) => { console.log("got " + d); process.exit(3); });',
    });
    const child = await runtime.spawn('node', ['echo.js'], { task: true });
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
    const { url, port } = await ready;
    expect(port).toBe(server.port);
    expect(await (await fetch(url)).text()).toBe('hi there');
    await server.kill();
    expect(await server.exit).not.toBe(0);
  });

  it('sends a shutdown line before killing, so a supervisor can stop its children', async () => {
    await runtime.mount({
      'polite.js': `console.log('up'); process.stdin.on('data', (d) => { if (String(d).includes('shutdown')) { console.log('stopping children'); process.exit(0); } });`,
    });
    const child = await runtime.spawn('node', ['polite.js'], { task: true });
    const reader = child.output.getReader();
    expect((await reader.read()).value).toBe('up\n');
    await child.kill();
    expect(await child.exit).toBe(0);
    expect((await reader.read()).value).toBe('stopping children\n');
  });

  it('hands extra ports over as SVS_PORTS and keeps a lab’s PORT across restarts', async () => {
    await runtime.mount({
      'ports.js': `console.log(process.env.PORT + ' ' + process.env.SVS_PORTS); setInterval(() => {}, 1000);`,
    });
    const seen: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const child = await runtime.spawn('node', ['ports.js'], {
        extraPorts: 2,
        site: 'jwt-tokens',
        task: true,
      });
      const reader = child.output.getReader();
      seen.push(String((await reader.read()).value).trim());
      reader.releaseLock();
      await child.kill();
    }
    const [first, second] = seen.map((line) => line.split(' '));
    expect(first?.[1]?.split(',')).toHaveLength(2);
    expect(second?.[0]).toBe(first?.[0]);
  });

  it('says how to start the runner when nothing answers', async () => {
    const nowhere = createLocalRuntime({
      baseUrl: 'http://127.0.0.1:9',
      ...asCoursePage('http://127.0.0.1:9'),
    });
    const steps: BootProgress[] = [];
    const error = await nowhere.boot((progress) => steps.push(progress)).catch((e: unknown) => e);
    // The wait for the runner was named while it lasted.
    expect(steps).toEqual([{ kind: 'local', step: 'connecting' }]);
    expect((error as RuntimeError).code).toBe('runner-unreachable');
    expect((error as RuntimeError).message).toContain('npm start');
  });
});
