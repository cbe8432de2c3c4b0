import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../../src/client/workspace/check-message.ts';

describe('check messages with response bodies', () => {
  it('leaves a plain message alone', () => {
    expect(splitMessage('Expected 200, got 404.')).toEqual([
      { kind: 'text', text: 'Expected 200, got 404.' },
    ]);
  });

  it('pulls out an escaped JSON body quoted in the message, indented', () => {
    const body = JSON.stringify({ items: [{ id: 'apple', qty: 2 }], total: 2 });
    const parts = splitMessage(`Expected the cart to be empty, got ${JSON.stringify(body)}.`);
    expect(parts).toEqual([
      { kind: 'text', text: 'Expected the cart to be empty, got ' },
      { kind: 'json', text: JSON.stringify(JSON.parse(body), null, 2) },
      { kind: 'text', text: '.' },
    ]);
  });

  it('pulls out a bare JSON object', () => {
    const parts = splitMessage('Body was {"error":"missing session","code":401} instead');
    expect(parts.map((p) => p.kind)).toEqual(['text', 'json', 'text']);
    expect(parts[1]?.text).toContain('\n  "error": "missing session"');
  });

  it('keeps short quoted strings and broken JSON as text', () => {
    const message = 'Expected "Hello, learner!" but got "{not json at all, really not}"';
    expect(splitMessage(message)).toEqual([{ kind: 'text', text: message }]);
  });
});
