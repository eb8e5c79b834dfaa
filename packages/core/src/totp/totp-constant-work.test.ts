import type * as nodeCrypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// Count the HMACs and constant-time comparisons findTOTPStep performs. An
// attacker timing responses learns nothing if the work is the same whether
// the code matches the current step, a neighbouring step, or nothing.
const calls = { hmac: 0, compare: 0 };
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof nodeCrypto>();
  return {
    ...actual,
    createHmac: (...args: Parameters<typeof actual.createHmac>) => {
      calls.hmac++;
      return actual.createHmac(...args);
    },
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.compare++;
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { findTOTPStep, generateTOTP } = await import('./totp.js');

const key = new TextEncoder().encode('12345678901234567890');
const T = 1_700_000_000_000;
const options = { periodInSeconds: 30, digits: 6 as const, algorithm: 'SHA1' as const };
const codeAt = (offset: number): string => generateTOTP(key, { ...options, timeInMs: T + offset * 30_000 });

describe('findTOTPStep does the same work whatever matches', () => {
  beforeEach(() => {
    calls.hmac = 0;
    calls.compare = 0;
  });

  it.each([1, 2])(
    'window %i: current, earliest, latest and no match all cost 2w+1 HMACs and comparisons',
    (window) => {
      const codes = [codeAt(0), codeAt(-window), codeAt(window), codeAt(window + 5)];
      const counts = codes.map((code) => {
        calls.hmac = 0;
        calls.compare = 0;
        findTOTPStep(key, code, { ...options, timeInMs: T, window });
        return { ...calls };
      });
      for (const count of counts) expect(count).toEqual({ hmac: 2 * window + 1, compare: 2 * window + 1 });
    },
  );

  it('computes no HMAC at all for malformed codes', () => {
    for (const code of ['12345', '1234567', '١٢٣٤٥٦', 'x'.repeat(10_000), 123456]) {
      expect(findTOTPStep(key, code, { ...options, timeInMs: T, window: 1 })).toBeNull();
    }
    expect(calls).toEqual({ hmac: 0, compare: 0 });
  });
});
