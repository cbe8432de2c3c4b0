import { describe, expect, it } from 'vitest';
import { normalisePath } from '../../../../src/client/workspace/preview.ts';

describe('the preview address field', () => {
  it.each([
    ['', '/'],
    ['  ', '/'],
    ['cart', '/cart'],
    ['/cart?x=1', '/cart?x=1'],
    // A pasted full address keeps only its path: the preview never leaves the sandbox's origin.
    ['https://evil.example/steal', '/steal'],
    ['http://127.0.0.1:4000/me', '/me'],
    ['//evil.example/x', '/evil.example/x'],
    ['/\\evil.example/x', '/evil.example/x'],
    ['javascript:alert(1)', '/'],
  ])('%j opens %j', (typed, path) => {
    expect(normalisePath(typed)).toBe(path);
  });
});
