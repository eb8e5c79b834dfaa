import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../../../../test/harness/index.js';
import type { MfaStore } from '../ports/mfa-store.js';
import type { AttemptInput, FamilyLimits, LockLimits } from '../types.js';
import { createRedisBackend } from './create-redis-backend.js';

const LIMITS: FamilyLimits = { maxFailures: 5, cooldownMs: 300_000, countsTowardLock: true };
const LOCK: LockLimits = {
  maxConsecutiveFailures: 10,
  mode: 'permanent',
  durationMs: 900_000,
  growthFactor: 2,
  maxDurationMs: 86_400_000,
};
const DAY = 86_400_000;

function totp(step: number | null, now: number, lock: LockLimits = LOCK): AttemptInput {
  return { family: 'totp', check: { type: 'totp', step }, limits: LIMITS, lock, now };
}

describe.each([
  ['single node', createTestRedis],
  ['cluster', createTestCluster],
] as const)('Redis MfaStore on %s', (_name, connect) => {
  let client: Redis | Cluster;
  let store: MfaStore;
  let prefix: string;
  const now = Math.floor(Date.now() / 1000) * 1000;

  beforeAll(() => {
    client = connect();
    prefix = uniquePrefix('redis-mfa-store');
    // These cases move time by passing `now`; Redis TIME (the default clock) is tested in redis-clock.test.ts.
    store = createRedisBackend({ client, prefix, clockSource: 'caller' }).store;
  });
  afterAll(async () => {
    await client.quit();
  });

  it('an upgrade from the separate totp-step key revives no used step (the larger of both counts, folded in)', async () => {
    const factor = {
      sealedSecret: 's',
      algorithm: 'SHA1',
      digits: 6,
      periodInSeconds: 30,
      enrolledAt: 7,
    } as const;
    const step = Math.floor(now / 30_000);
    const user = 'upgraded';
    const legacyKey = `${prefix}{u:${user}}:totp-step`;
    // The previous layout: the factor in the record, its last accepted step in a key of its own.
    await store.setTotp(user, factor);
    await client.set(legacyKey, String(step));
    const replay = await store.attempt(user, {
      ...totp(step, now),
      check: { type: 'totp', step, enrolledAt: 7 },
    });
    expect(replay).toMatchObject({ ok: false, code: 'INVALID_CODE', reason: 'replay' });
    // Folded into the factor and gone: the next step works, the old key no longer exists.
    expect(await client.exists(legacyKey)).toBe(0);
    expect(await client.hget(`${prefix}{u:${user}}:record`, 'totpStep')).toBe(String(step));
    expect(
      await store.attempt(user, { ...totp(step + 1, now), check: { type: 'totp', step: step + 1 } }),
    ).toEqual({
      ok: true,
      evaluated: true,
    });
    // A stale old key below the factor's own step changes nothing.
    await client.set(legacyKey, String(step - 5));
    expect(await store.attempt(user, totp(step + 1, now))).toMatchObject({ reason: 'replay' });
    expect(await store.attempt(user, totp(step + 2, now))).toEqual({ ok: true, evaluated: true });
    expect(await client.exists(legacyKey)).toBe(0);
  });

  it('keeps all keys of a user with braces in its id in one slot, apart from other users', async () => {
    const evil = 'a}{b:%7D';
    await store.replaceRecoveryCodes(evil, ['h1', 'h2']);
    await store.setTotp(evil, {
      sealedSecret: 's',
      algorithm: 'SHA1',
      digits: 6,
      periodInSeconds: 30,
      enrolledAt: 1,
    });
    // The script touches four keys of the user: on a cluster this fails with CROSSSLOT if a tag broke.
    const decision = await store.attempt(evil, {
      family: 'recovery',
      check: { type: 'recovery', hash: 'h1' },
      limits: LIMITS,
      lock: LOCK,
      now,
    });
    expect(decision.ok).toBe(true);
    expect((await store.getRecord(evil))?.recoveryCodesRemaining).toBe(1);
    expect(await store.getRecord('a')).toBeNull();
    expect(await store.getRecord('a}%7Bb:%7D')).toBeNull();
  });

  it('counts failures to a cooldown, then locks after the consecutive budget, across families', async () => {
    const user = `u-${Math.random()}`;
    await store.setTotp(user, {
      sealedSecret: 's',
      algorithm: 'SHA1',
      digits: 6,
      periodInSeconds: 30,
      enrolledAt: 1,
    });
    for (let i = 1; i <= 4; i++) {
      expect(await store.attempt(user, totp(null, now))).toMatchObject({ code: 'INVALID_CODE', failures: i });
    }
    expect(await store.attempt(user, totp(null, now))).toEqual({
      ok: false,
      code: 'COOLDOWN',
      evaluated: true,
      started: true,
      retryAfterMs: 300_000,
    });
    expect(await store.attempt(user, totp(1, now + 1000))).toMatchObject({
      code: 'COOLDOWN',
      evaluated: false,
      retryAfterMs: 299_000,
    });
    const status = await store.getLimiterStatus(user, now + 1000);
    expect(status.families.totp).toEqual({ failures: 0, cooldownUntil: now + 300_000 });
    expect(status.consecutiveFailures).toBe(5);
    // A password family that counts toward the lock (an app's opt-in) shares the consecutive count.
    let last = null;
    for (let i = 0; i < 5; i++) {
      last = await store.attempt(user, {
        family: 'password',
        check: { type: 'outcome', success: false },
        limits: LIMITS,
        lock: LOCK,
        now: now + 2000,
      });
    }
    expect(last).toMatchObject({ code: 'ACCOUNT_LOCKED', started: true, evaluated: true, until: null });
    const lockId = last !== null && !last.ok && last.code === 'ACCOUNT_LOCKED' ? last.lockId : '';
    // Locked: even a fresh valid step is refused and not consumed, far in the future too.
    expect(await store.attempt(user, totp(99, now + 30 * DAY))).toMatchObject({
      code: 'ACCOUNT_LOCKED',
      evaluated: false,
      lockId,
      eventPending: true,
    });
    await store.ackLockEvent(user, 'some-other-lock');
    expect(await store.attempt(user, totp(99, now + 3000))).toMatchObject({ eventPending: true });
    await store.ackLockEvent(user, lockId);
    expect(await store.attempt(user, totp(99, now + 3000))).toMatchObject({ eventPending: false });
    await store.unlock(user);
    expect(await store.attempt(user, totp(99, now + 3000))).toEqual({ ok: true, evaluated: true });
    expect(await store.attempt(user, totp(99, now + 3000))).toMatchObject({ reason: 'replay' });
  });

  it('grows temporary locks and lets them expire by the injected clock', async () => {
    const user = `u-${Math.random()}`;
    const lock: LockLimits = { ...LOCK, mode: 'temporary', maxConsecutiveFailures: 2, durationMs: 1000 };
    const limits = { ...LIMITS, maxFailures: 100 };
    const fail = (t: number) =>
      store.attempt(user, { family: 'totp', check: { type: 'totp', step: null }, limits, lock, now: t });
    await fail(now);
    expect(await fail(now)).toMatchObject({ code: 'ACCOUNT_LOCKED', until: now + 1000 });
    expect(await fail(now + 999)).toMatchObject({ code: 'ACCOUNT_LOCKED', evaluated: false });
    // Expired; the consecutive count stays, so the next failure locks again, twice as long.
    expect(await fail(now + 1000)).toMatchObject({
      code: 'ACCOUNT_LOCKED',
      started: true,
      until: now + 3000,
    });
  });

  it('forgets counters untouched for 24 hours, judged by the injected clock', async () => {
    const user = `u-${Math.random()}`;
    await store.attempt(user, totp(null, now));
    await store.attempt(user, totp(null, now));
    expect((await store.getLimiterStatus(user, now + DAY - 1)).consecutiveFailures).toBe(2);
    expect((await store.getLimiterStatus(user, now + DAY)).consecutiveFailures).toBe(0);
    expect(await store.attempt(user, totp(null, now + DAY))).toMatchObject({ failures: 1 });
    const ttl = await client.pttl(`${prefix}{u:${user}}:limits`);
    expect(ttl).toBeGreaterThan(DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(DAY);
  });

  it('checks SMS challenges: missing, expired, wrong, right once', async () => {
    const user = `u-${Math.random()}`;
    const sms = (hash: string | null, t: number): AttemptInput => ({
      family: 'sms',
      check: { type: 'sms', hash, purpose: 'sign-in' },
      limits: LIMITS,
      lock: LOCK,
      now: t,
    });
    expect(await store.attempt(user, sms('x', now))).toMatchObject({ reason: 'missing' });
    const challenge = {
      codeHash: 'mac',
      purpose: 'sign-in' as const,
      sealedPhone: 'sealed',
      maskedPhone: '+1 ••• ••• 1234',
      expiresAt: now + 300_000,
    };
    await store.putSmsChallenge(user, challenge, now);
    expect(await store.getSmsChallenge(user, 'setup', now)).toBeNull();
    expect(await store.getSmsChallenge(user, 'sign-in', now)).toEqual(challenge);
    expect(await store.getSmsChallenge(user, 'sign-in', now + 300_000)).toBeNull();
    expect(await store.attempt(user, sms('wrong', now))).toMatchObject({ reason: 'mismatch' });
    expect(await store.attempt(user, sms('mac', now + 300_000))).toMatchObject({ reason: 'missing' });
    await store.putSmsChallenge(user, challenge, now);
    expect((await store.attempt(user, sms('mac', now))).ok).toBe(true);
    expect(await store.attempt(user, sms('mac', now))).toMatchObject({ reason: 'missing' });
  });

  it('resets factors with their TOTP replay state but keeps the epoch and the limiter state', async () => {
    const user = `u-${Math.random()}`;
    await store.setTotp(user, {
      sealedSecret: 's',
      algorithm: 'SHA1',
      digits: 6,
      periodInSeconds: 30,
      enrolledAt: 1,
    });
    await store.replaceRecoveryCodes(user, ['a', 'b']);
    expect(await store.incrementGraceSignIns(user)).toBe(1);
    expect((await store.attempt(user, totp(50, now))).ok).toBe(true);
    await store.attempt(user, totp(null, now));
    expect(await store.bumpEpoch(user)).toBe(1);
    expect(await store.resetFactors(user)).toBe(2);
    expect(await store.getRecord(user)).toEqual({
      userId: user,
      totp: null,
      sms: null,
      webauthn: [],
      recoveryCodesRemaining: 0,
      epoch: 2,
      graceSignInsUsed: 0,
    });
    // The old factor's steps went with it: nothing to match until a new factor, whose first code works.
    expect(await store.attempt(user, totp(50, now))).toMatchObject({ reason: 'mismatch', failures: 2 });
    await store.setTotp(user, {
      sealedSecret: 't',
      algorithm: 'SHA1',
      digits: 6,
      periodInSeconds: 30,
      enrolledAt: 2,
    });
    expect((await store.attempt(user, totp(50, now))).ok).toBe(true);
    expect(await client.hget(`${prefix}{u:${user}}:record`, 'totpStep')).toBe('50');
  });

  it('accepts one recovery code exactly once under 60 parallel uses', async () => {
    const user = `u-${Math.random()}`;
    await store.replaceRecoveryCodes(user, ['code-hash', 'other']);
    const limits = { ...LIMITS, maxFailures: 1000 };
    const lock = { ...LOCK, maxConsecutiveFailures: 1000 };
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        store.attempt(user, {
          family: 'recovery',
          check: { type: 'recovery', hash: 'code-hash' },
          limits,
          lock,
          now,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await store.getRecord(user))?.recoveryCodesRemaining).toBe(1);
  });
});
