import { describe, expect, it } from 'vitest';
import type { ReencryptProgress } from '../api.js';
import { createMemoryBackend } from '../memory/index.js';
import type { MfaOptions } from '../options.js';
import type { MfaStore } from '../ports/mfa-store.js';
import { createMfa } from './create-mfa.js';
import {
  createFakeClock,
  createHarness,
  createSeededRandom,
  enrolTotp,
  type Harness,
  TEST_HASH_KEY,
  TEST_KEY_A,
  TEST_KEY_B,
  totpAt,
} from '../../test-support/mfa-harness.js';

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

describe('maintenance.reencryptAll (key rotation over every user)', () => {
  const ctx = { ip: '203.0.113.9' };
  const K1 = { keys: { k1: TEST_KEY_A }, currentKeyId: 'k1' };
  const K1_K2 = { keys: { k1: TEST_KEY_A, k2: TEST_KEY_B }, currentKeyId: 'k2' };
  const K2 = { keys: { k2: TEST_KEY_B }, currentKeyId: 'k2' };

  /** An instance on `h`'s backend and clock with other keys (what an app restarted with a new key ring is). */
  const withKeys = (h: Harness, encryption: MfaOptions['encryption']) =>
    createHarness({ backend: h.backend, clock: h.clock, encryption });

  it('re-seals every user under k2 in batches with progress; afterwards an instance with only k2 serves all of them', async () => {
    const h = createHarness({ encryption: K1 });
    const totpUsers = Array.from({ length: 24 }, (_, i) => ({ id: `totp-${i}` }));
    const smsUsers = Array.from({ length: 6 }, (_, i) => ({ id: `sms-${i}` }));
    const secrets = new Map<string, string>();
    for (const user of totpUsers) secrets.set(user.id, (await enrolTotp(h, user)).secret);
    for (const [i, user] of smsUsers.entries()) {
      expect(
        await h.mfa.sms.beginEnrolment(user, `+1415555${String(i).padStart(4, '0')}`, ctx),
      ).toMatchObject({
        ok: true,
      });
      expect(await h.mfa.sms.confirmEnrolment(user, h.sms.lastCode(), ctx)).toMatchObject({ ok: true });
    }
    // A reset user keeps a record with nothing sealed in it: visited, nothing to re-seal.
    await enrolTotp(h, { id: 'was-reset' });
    await h.mfa.admin.reset({ kind: 'admin', id: 'root' }, { id: 'was-reset' });

    const rotating = withKeys(h, K1_K2);
    const progress: ReencryptProgress[] = [];
    const result = await rotating.mfa.maintenance.reencryptAll({
      batchSize: 7,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ scanned: 31, resealed: 30, failed: 0, failedUserIds: [] });
    // One report per batch of 7 (the listing is ordered on the memory store), counts only growing.
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toEqual({ scanned: 31, resealed: 30, failed: 0 });
    for (const [i, p] of progress.entries()) {
      expect(p.scanned).toBeLessThanOrEqual(7 * (i + 1));
      if (i > 0) expect(p.scanned).toBeGreaterThan((progress[i - 1] as ReencryptProgress).scanned);
    }
    for (const user of [...totpUsers, ...smsUsers]) {
      const record = await h.backend.store.getRecord(user.id);
      for (const sealed of [record?.totp?.sealedSecret, record?.sms?.sealedPhone]) {
        if (sealed !== undefined) expect(sealed.startsWith('v1.k2.')).toBe(true);
      }
    }
    // Idempotent: a second run finds nothing left to do.
    expect(await rotating.mfa.maintenance.reencryptAll()).toMatchObject({
      scanned: 31,
      resealed: 0,
      failed: 0,
    });

    // The old key is retired: only k2 is configured, and every user still signs in.
    h.clock.advance(30_000);
    const after = withKeys(h, K2);
    for (const user of totpUsers) {
      const code = totpAt(secrets.get(user.id) as string, h.clock.now());
      expect((await after.mfa.verify(user, 'totp', code, ctx)).ok).toBe(true);
    }
    for (const [i, user] of smsUsers.entries()) {
      expect(await after.mfa.sms.sendSignInCode(user, ctx)).toMatchObject({ ok: true });
      expect(after.sms.sent.at(-1)?.to).toBe(`+1415555${String(i).padStart(4, '0')}`);
      expect((await after.mfa.verify(user, 'sms', after.sms.lastCode(), ctx)).ok).toBe(true);
    }
  });

  it('counts users sealed under a key that is no longer configured as failed, lists the first 100 and re-seals the rest', async () => {
    const h = createHarness({ encryption: K1 });
    const good = { id: 'good' };
    const { secret } = await enrolTotp(h, good);
    // One real enrolment under a key the rotating instance doesn't have, and many tampered/unknown ciphertexts.
    const legacy = withKeys(h, { keys: { k0: TEST_KEY_B }, currentKeyId: 'k0' });
    await enrolTotp(legacy, { id: 'a-legacy' });
    for (let i = 0; i < 104; i++) {
      await h.backend.store.setTotp(`broken-${String(i).padStart(3, '0')}`, {
        sealedSecret: i % 2 === 0 ? 'v1.k0.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA' : 'not sealed at all',
        algorithm: 'SHA1',
        digits: 6,
        periodInSeconds: 30,
        enrolledAt: 1,
      });
    }
    const result = await withKeys(h, K1_K2).mfa.maintenance.reencryptAll({ batchSize: 10 });
    expect(result).toMatchObject({ scanned: 106, resealed: 1, failed: 105 });
    expect(result.failedUserIds).toHaveLength(100);
    expect(new Set(result.failedUserIds).size).toBe(100);
    // The memory store lists ids in order, so the first 100 failures are these.
    expect(result.failedUserIds).toEqual([
      'a-legacy',
      ...Array.from({ length: 99 }, (_, i) => `broken-${String(i).padStart(3, '0')}`),
    ]);
    // The failed records are left as they were; the good user moved to k2.
    expect((await h.backend.store.getRecord('a-legacy'))?.totp?.sealedSecret.startsWith('v1.k0.')).toBe(true);
    h.clock.advance(30_000);
    expect((await withKeys(h, K2).mfa.verify(good, 'totp', totpAt(secret, h.clock.now()), ctx)).ok).toBe(
      true,
    );
  });

  it('stops with STORE_UNAVAILABLE when the store fails, and rejects a bad batch size', async () => {
    const h = createHarness({ encryption: K1 });
    await enrolTotp(h, { id: 'u1' });
    const store: MfaStore = {
      ...h.backend.store,
      async getRecord() {
        throw new Error('connection reset');
      },
    };
    const broken = createHarness({ backend: { ...h.backend, store }, clock: h.clock, encryption: K1_K2 });
    await expect(broken.mfa.maintenance.reencryptAll()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    for (const batchSize of [0, 1.5, 1001, Number.NaN]) {
      await expect(withKeys(h, K1_K2).mfa.maintenance.reencryptAll({ batchSize })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
    }
    // Nothing was re-sealed by the failed runs.
    expect((await h.backend.store.getRecord('u1'))?.totp?.sealedSecret.startsWith('v1.k1.')).toBe(true);
  });
});
