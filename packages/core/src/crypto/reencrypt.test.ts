import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from './key-ring.js';
import { resealAll } from './reencrypt.js';

describe('resealAll', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const old = createKeyRing({ keys: { k1 }, currentKeyId: 'k1' });
  const ring = createKeyRing({ keys: { k1, k2 }, currentKeyId: 'k2' });

  it('re-encrypts old values with the current key, keeps current ones, preserves order', () => {
    const items = [
      { sealed: old.seal('a', 'totp:1'), associatedData: 'totp:1' },
      { sealed: ring.seal('b', 'totp:2'), associatedData: 'totp:2' },
      { sealed: old.seal('c', 'phone:3'), associatedData: 'phone:3' },
    ];
    const out = resealAll(ring, items);
    expect(out).toHaveLength(3);
    expect(out[1]).toBe(items[1]!.sealed);
    expect(out.every((s) => !ring.needsReseal(s))).toBe(true);
    expect(out.map((s, i) => ring.open(s, items[i]!.associatedData))).toEqual(['a', 'b', 'c']);
  });

  it('is idempotent', () => {
    const once = resealAll(ring, [{ sealed: old.seal('a', 'x'), associatedData: 'x' }]);
    expect(resealAll(ring, [{ sealed: once[0]!, associatedData: 'x' }])).toEqual(once);
  });

  it('fails with KEY_UNAVAILABLE when an item does not open', () => {
    const items = [{ sealed: old.seal('a', 'x'), associatedData: 'y' }];
    expect(() => resealAll(ring, items)).toThrow(expect.objectContaining({ code: 'KEY_UNAVAILABLE' }));
  });
});
