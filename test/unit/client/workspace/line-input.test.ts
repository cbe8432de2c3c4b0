import { describe, expect, it } from 'vitest';
import { createLineInput } from '../../../../src/client/workspace/line-input.ts';

describe('typing into the terminal', () => {
  it('echoes keys and sends the whole line on Enter', () => {
    const input = createLineInput();
    expect(input.feed('kil').echo).toBe('kil');
    const done = input.feed('l 2\r');
    expect(done.send).toEqual(['kill 2\n']);
    expect(done.echo).toBe('l 2\r\n');
  });

  it('handles Backspace, including on an empty line', () => {
    const input = createLineInput();
    input.feed('\x7fab\x7f');
    expect(input.feed('c\r').send).toEqual(['ac\n']);
  });

  it('drops arrow keys rather than sending escape codes', () => {
    const input = createLineInput();
    expect(input.feed('a\x1b[Ab\r').send).toEqual(['ab\n']);
  });

  it('sends each line of a paste', () => {
    expect(createLineInput().feed('start 1\nstart 2\n').send).toEqual(['start 1\n', 'start 2\n']);
  });
});
