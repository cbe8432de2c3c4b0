import { describe, expect, it } from 'vitest';
import {
  createEventParser,
  createCheckResultParser,
  createOutputDemuxer,
  parseCheckOutput,
  parseEventLine,
  parseMeasureLine,
} from '../../../src/sandbox/check-results.ts';

const NONCE = 'n0nce-7f3a';
const result = (title: string, status: string, message = '') =>
  `@@svs-check ${NONCE} ${JSON.stringify({ id: `a.test.mjs/${title}`, title, status, message, durationMs: 4 })}\n`;
const summary = (passed: number, failed: number) =>
  `@@svs-check ${NONCE} ${JSON.stringify({ type: 'summary', passed, failed, total: passed + failed })}\n`;

describe('check result lines', () => {
  it('reads results and the summary carrying the run nonce', () => {
    const out = parseCheckOutput(NONCE, [
      result('Server answers', 'pass'),
      result('Says hello', 'fail', 'Expected "Hello, learner!", got "Hello, world!"'),
      summary(1, 1),
    ]);
    expect(out.results.map((r) => [r.title, r.status])).toEqual([
      ['Server answers', 'pass'],
      ['Says hello', 'fail'],
    ]);
    expect(out.results[1]?.message).toBe('Expected "Hello, learner!", got "Hello, world!"');
    expect(out.summary).toEqual({ passed: 1, failed: 1, total: 2 });
  });

  it('ignores a learner line that imitates a result with another nonce', () => {
    const forged = `@@svs-check guessed ${JSON.stringify({ id: 'x', title: 'Says hello', status: 'pass', message: '', durationMs: 1 })}\n`;
    const out = parseCheckOutput(NONCE, [forged, result('Says hello', 'fail'), summary(0, 1)]);
    expect(out.results).toHaveLength(1);
    expect(out.results[0]?.status).toBe('fail');
  });

  it('ignores an imitation without any nonce, and trusts nothing when the nonce is empty', () => {
    const bare = `@@svs-check {"id":"x","title":"t","status":"pass"}\n`;
    expect(parseCheckOutput(NONCE, [bare]).results).toEqual([]);
    expect(parseCheckOutput('', [`@@svs-check  {"id":"x","title":"t","status":"pass"}\n`])).toEqual(
      { results: [], summary: null },
    );
  });

  it('joins a line split across chunks, at any position', () => {
    const line = result(
      'Split check',
      'timeout',
      'Timed out after 5 s waiting for GET / to answer.',
    );
    for (let cut = 1; cut < line.length; cut += 7) {
      const out = parseCheckOutput(NONCE, [line.slice(0, cut), line.slice(cut)]);
      expect(out.results.map((r) => r.status)).toEqual(['timeout']);
    }
  });

  it('streams: a result appears only once its line is complete', () => {
    const parser = createCheckResultParser(NONCE);
    const line = result('Streaming', 'pass');
    expect(parser.push(line.slice(0, 20))).toEqual([]);
    expect(parser.push(line.slice(20))).toHaveLength(1);
    // A final line without a newline still counts at the end of the stream.
    expect(parser.push(summary(1, 0).trimEnd())).toEqual([]);
    expect(parser.end()).toEqual([
      { kind: 'summary', summary: { passed: 1, failed: 0, total: 1 } },
    ]);
  });

  it('skips malformed JSON and wrong shapes without losing the lines around them', () => {
    const out = parseCheckOutput(NONCE, [
      `@@svs-check ${NONCE} {"id":"x","title":\n`,
      `@@svs-check ${NONCE} ["not","an","object"]\n`,
      `@@svs-check ${NONCE} {"id":"x","title":"t","status":"great"}\n`,
      `@@svs-check ${NONCE} {"type":"summary","passed":-1,"failed":0,"total":0}\n`,
      result('Still read', 'error', 'The check stopped with an error: boom'),
    ]);
    expect(out.results.map((r) => r.title)).toEqual(['Still read']);
    expect(out.summary).toBeNull();
  });

  it('accepts Windows line endings', () => {
    const out = parseCheckOutput(NONCE, [result('CRLF', 'pass').replace('\n', '\r\n')]);
    expect(out.results).toHaveLength(1);
  });
});

describe('event lines', () => {
  it('parses the request, instance, failover and balancer shapes', () => {
    expect(
      parseEventLine(
        '@@svs-event {"type":"request","id":"r17","method":"GET","path":"/cart","instance":2,"status":200,"session":"ab12","ms":3}',
      ),
    ).toEqual({
      type: 'request',
      id: 'r17',
      method: 'GET',
      path: '/cart',
      instance: 2,
      status: 200,
      session: 'ab12',
      ms: 3,
    });
    expect(
      parseEventLine(
        '@@svs-event {"type":"request","id":"r1","method":"GET","path":"/","instance":null,"status":502,"session":null,"ms":0}',
      ),
    ).toMatchObject({ instance: null, status: 502 });
    expect(
      parseEventLine(
        '@@svs-event {"type":"instance","instance":2,"state":"down","port":43121,"reason":"killed"}',
      ),
    ).toEqual({ type: 'instance', instance: 2, state: 'down', port: 43121, reason: 'killed' });
    expect(parseEventLine('@@svs-event {"type":"failover","id":"r9","from":2,"to":3}')).toEqual({
      type: 'failover',
      id: 'r9',
      from: 2,
      to: 3,
    });
    expect(
      parseEventLine(
        '@@svs-event {"type":"balancer","port":8080,"instances":3,"strategy":"sticky"}',
      ),
    ).toEqual({ type: 'balancer', port: 8080, instances: 3, strategy: 'sticky' });
  });

  it('rejects unknown types, bad states and malformed JSON', () => {
    expect(
      parseEventLine('@@svs-event {"type":"instance","instance":2,"state":"asleep","port":1}'),
    ).toBeNull();
    expect(parseEventLine('@@svs-event {"type":"mystery"}')).toBeNull();
    expect(parseEventLine('@@svs-event {oops')).toBeNull();
    expect(parseEventLine('Listening on http://127.0.0.1:3000')).toBeNull();
  });

  it('parses the load generator’s progress, and refuses one that cannot say how far along it is', () => {
    const line = (fields: object) =>
      `@@svs-event ${JSON.stringify({
        type: 'load',
        state: 'running',
        elapsedMs: 500,
        durationMs: 5000,
        requests: 99,
        target: null,
        rps: 198.2,
        errors: 1,
        ...fields,
      })}`;
    expect(parseEventLine(line({}))).toEqual({
      type: 'load',
      state: 'running',
      elapsedMs: 500,
      durationMs: 5000,
      requests: 99,
      target: null,
      rps: 198.2,
      errors: 1,
    });
    expect(parseEventLine(line({ durationMs: null, target: 2000 }))).toMatchObject({
      target: 2000,
    });
    expect(parseEventLine(line({ durationMs: null }))).toBeNull();
    expect(parseEventLine(line({ target: 2000 }))).toBeNull();
    expect(parseEventLine(line({ state: 'paused' }))).toBeNull();
    expect(parseEventLine(line({ rps: -1 }))).toBeNull();
    expect(parseEventLine(line({ requests: 1.5 }))).toBeNull();
  });

  it('finds event lines a check printed among its other output, even split across chunks', () => {
    const parser = createEventParser();
    const event =
      '@@svs-event {"type":"load","state":"done","elapsedMs":1000,"durationMs":1000,"requests":20,"target":null,"rps":20,"errors":0}\n';
    const first = parser.push('# a check says hello\n' + event.slice(0, 30));
    const second = parser.push(event.slice(30) + '@@svs-check abc {"type":"summary"}\n');
    expect(first).toEqual([]);
    expect(second).toEqual([
      expect.objectContaining({ type: 'load', state: 'done', requests: 20 }),
    ]);
    expect(parser.end()).toEqual([]);
  });

  it('demuxes output: events never reach the terminal, plain text does, even when split', () => {
    const demux = createOutputDemuxer();
    const event = '@@svs-event {"type":"instance","instance":1,"state":"up","port":4100}\n';
    const a = demux.push('[1] Listening\n' + event.slice(0, 15));
    const b = demux.push(event.slice(15) + 'prompt> ');
    const c = demux.end();
    expect(a.text + b.text + c.text).toBe('[1] Listening\nprompt> ');
    expect([...a.events, ...b.events]).toEqual([
      { type: 'instance', instance: 1, state: 'up', port: 4100 },
    ]);
    // The prompt showed as soon as it arrived, not at the end of the stream.
    expect(b.text).toBe('prompt> ');
  });

  it('treats a marker in the middle of a line that already started as text', () => {
    const demux = createOutputDemuxer();
    const first = demux.push('hello ');
    const second = demux.push('@@svs-event {"type":"failover","id":"r1","from":1,"to":2}\n');
    expect(first.text + second.text).toBe(
      'hello @@svs-event {"type":"failover","id":"r1","from":1,"to":2}\n',
    );
    expect(second.events).toEqual([]);
  });
});

describe('measurement lines', () => {
  it('are hidden from the terminal and handed over, even when split across chunks', () => {
    const demux = createOutputDemuxer();
    const first = demux.push('before\n@@svs-mea');
    const second = demux.push('sure {"id":"sessions-lost","value":2,"unit":"sessions"}\nafter\n');
    expect(first.text + second.text).toBe('before\nafter\n');
    expect(second.measurements).toEqual([{ id: 'sessions-lost', value: 2, unit: 'sessions' }]);
  });

  it('ignore malformed measurement lines', () => {
    for (const line of [
      '@@svs-measure {"id":"Bad Id","value":1,"unit":"ms"}',
      '@@svs-measure {"id":"ok","value":"1","unit":"ms"}',
      '@@svs-measure {"id":"ok","value":1}',
      '@@svs-measure not json',
    ]) {
      expect(parseMeasureLine(line)).toBeNull();
    }
    expect(parseMeasureLine('@@svs-measure {"id":"p50-store","value":1.5,"unit":"ms"}\r')).toEqual({
      id: 'p50-store',
      value: 1.5,
      unit: 'ms',
    });
  });
});
