import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../memory/index.js';
import { createMfa } from './create-mfa.js';
import {
  createFakeClock,
  createSeededRandom,
  TEST_HASH_KEY,
  TEST_KEY_A,
  TEST_KEY_B,
  totpAt,
} from './test-fixture.js';

describe('maintenance.reencrypt (key rotation)', () => {
  it('re-seals under the new key; the old key can then be retired', async () => {
    const backend = createMemoryBackend();
    const clock = createFakeClock();
    const common = { backend, hashKey: TEST_HASH_KEY, issuer: 'Acme', clock, random: createSeededRandom() };
    const user = { id: 'rot' };
    const before = createMfa({ ...common, encryption: { keys: { old: TEST_KEY_A }, currentKeyId: 'old' } });
    const enrolment = await before.totp.beginEnrolment(user);
    await before.totp.confirmEnrolment(
      user,
      enrolment.sealedSecret,
      totpAt(enrolment.secret, clock.now()),
      {},
    );
    clock.advance(30_000);

    const rotating = createMfa({
      ...common,
      encryption: { keys: { old: TEST_KEY_A, new: TEST_KEY_B }, currentKeyId: 'new' },
    });
    expect(await rotating.maintenance.reencrypt(user.id)).toEqual({ totp: true, sms: false });
    expect(await rotating.maintenance.reencrypt(user.id)).toEqual({ totp: false, sms: false });
    expect(await rotating.maintenance.reencrypt('nobody')).toEqual({ totp: false, sms: false });

    const after = createMfa({ ...common, encryption: { keys: { new: TEST_KEY_B }, currentKeyId: 'new' } });
    expect((await after.verify(user, 'totp', totpAt(enrolment.secret, clock.now()), {})).ok).toBe(true);
    // Without rotation, the retired key is a clear KEY_UNAVAILABLE error.
    const other = { id: 'not-rotated' };
    const e2 = await before.totp.beginEnrolment(other);
    await before.totp.confirmEnrolment(other, e2.sealedSecret, totpAt(e2.secret, clock.now()), {});
    await expect(after.verify(other, 'totp', '123456', {})).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
    });
  });
});
