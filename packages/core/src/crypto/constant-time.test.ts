import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from './constant-time.js';

describe('constantTimeEqual', () => {
  it('is true exactly for equal strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });

  it('distinguishes strings that differ only in normalisation-sensitive unicode', () => {
    expect(constantTimeEqual('\u00e9', 'e\u0301')).toBe(false);
  });

  it('agrees with === on arbitrary strings of any lengths', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
    );
  });
});
