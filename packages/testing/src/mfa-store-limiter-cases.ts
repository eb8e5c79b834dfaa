import { expect, it } from 'vitest';
import type { AttemptCheck, MfaStore } from '@mfa-kit/core';
import {
  type AttemptOverrides,
  attemptInput,
  baseTime,
  DAY_MS,
  expectCode,
  HOUR_MS,
  type MakeStore,
  newUserId,
  withTotpFactor,
  outcome,
  recovery,
  TEST_LIMITS,
  totp,
} from './conformance-fixtures.js';

const COOLDOWN = TEST_LIMITS.cooldownMs;
const OK = { ok: true, evaluated: true };

/** Fails `times` attempts of `check` at `now`, returning the last decision. */
async function fail(
  store: MfaStore,
  userId: string,
  times: number,
  now: number,
  overrides: AttemptOverrides = {},
) {
  const check: AttemptCheck =
    overrides.family === 'recovery'
      ? recovery('wrong')
      : overrides.family === undefined
        ? totp(null)
        : outcome(false);
  let last = await store.attempt(userId, attemptInput(check, now, overrides));
  for (let i = 1; i < times; i++) last = await store.attempt(userId, attemptInput(check, now, overrides));
  return last;
}

/** Steps 1, 2, 4 and 5 of `MfaStore.attempt`: counting, cooldowns, locks, and the admin operations. */
export function registerLimiterCases(makeStore: MakeStore<MfaStore>): void {
  it('counts failures with the failures left, then starts a cooldown at exactly maxFailures', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('count'));
    const now = baseTime();
    expect(expectCode(await fail(store, userId, 1, now), 'INVALID_CODE')).toMatchObject({
      failures: 1,
      remaining: 2,
    });
    expect(expectCode(await fail(store, userId, 1, now), 'INVALID_CODE')).toMatchObject({
      failures: 2,
      remaining: 1,
    });
    expect(await fail(store, userId, 1, now)).toEqual({
      ok: false,
      code: 'COOLDOWN',
      evaluated: true,
      started: true,
      retryAfterMs: COOLDOWN,
    });
    const status = await store.getLimiterStatus(userId, now);
    expect(status.families.totp).toEqual({ failures: 0, cooldownUntil: now + COOLDOWN });
    expect(status.consecutiveFailures).toBe(3);
    expect(status.locked).toBe(false);
  });

  it('refuses every attempt during a cooldown without counting it, even a correct code', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('cooldown'));
    const now = baseTime();
    await fail(store, userId, 3, now);
    const before = await store.getLimiterStatus(userId, now + 1);
    for (const check of [totp(null), totp(99_000_000)]) {
      expect(await store.attempt(userId, attemptInput(check, now + 1))).toEqual({
        ok: false,
        code: 'COOLDOWN',
        evaluated: false,
        started: false,
        retryAfterMs: COOLDOWN - 1,
      });
    }
    expect(await store.getLimiterStatus(userId, now + 1)).toEqual(before);
    // The refused correct code was not consumed: it still works once the cooldown is over.
    expect(await store.attempt(userId, attemptInput(totp(99_000_000), now + COOLDOWN))).toEqual(OK);
  });

  it('ends the cooldown at now ≥ until and counts afresh', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('cooldown-end'));
    const now = baseTime();
    await fail(store, userId, 3, now);
    expectCode(await fail(store, userId, 1, now + COOLDOWN - 1), 'COOLDOWN');
    expect(expectCode(await fail(store, userId, 1, now + COOLDOWN), 'INVALID_CODE')).toMatchObject({
      failures: 1,
      remaining: 2,
    });
    expect((await store.getLimiterStatus(userId, now + COOLDOWN)).families.totp?.cooldownUntil).toBeNull();
  });

  it('keeps cooldowns per family', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('families'));
    const now = baseTime();
    await store.replaceRecoveryCodes(userId, ['h1']);
    await fail(store, userId, 3, now);
    expect(await store.attempt(userId, attemptInput(recovery('h1'), now))).toEqual(OK);
  });

  it('a success resets the family failures and the consecutive count', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('success-reset'));
    const now = baseTime();
    await fail(store, userId, 2, now);
    expect(await store.attempt(userId, attemptInput(totp(5), now))).toEqual(OK);
    const status = await store.getLimiterStatus(userId, now);
    expect(status.consecutiveFailures).toBe(0);
    expect(status.families.totp?.failures ?? 0).toBe(0);
    expect(expectCode(await fail(store, userId, 1, now), 'INVALID_CODE').failures).toBe(1);
  });

  it('locks permanently after maxConsecutiveFailures across cooldowns and families, with a pending event', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('lock'));
    let now = baseTime();
    await store.replaceRecoveryCodes(userId, ['h1']);
    expectCode(await fail(store, userId, 3, now), 'COOLDOWN');
    now += COOLDOWN;
    expectCode(await fail(store, userId, 3, now), 'COOLDOWN');
    now += COOLDOWN;
    expect((await store.getLimiterStatus(userId, now)).consecutiveFailures).toBe(6);
    const locked = expectCode(await fail(store, userId, 1, now, { family: 'recovery' }), 'ACCOUNT_LOCKED');
    expect(locked).toMatchObject({ evaluated: true, started: true, until: null, eventPending: true });
    expect(typeof locked.lockId).toBe('string');
    expect(locked.lockId.length).toBeGreaterThan(0);

    // Everything is refused, correct codes included, and nothing is counted or consumed.
    const refused = await store.attempt(userId, attemptInput(recovery('h1'), now + 365 * DAY_MS));
    expect(refused).toEqual({
      ok: false,
      code: 'ACCOUNT_LOCKED',
      evaluated: false,
      started: false,
      until: null,
      lockId: locked.lockId,
      eventPending: true,
    });
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(1);
    const status = await store.getLimiterStatus(userId, now + 365 * DAY_MS);
    expect(status).toMatchObject({ locked: true, lockedUntil: null, consecutiveFailures: 7 });
    expect(status.lockReason).not.toBeNull();
  });

  it('acknowledges the lock event only for the current lock id', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('ack'));
    const now = baseTime();
    const locked = expectCode(
      await fail(store, userId, 1, now, { lock: { maxConsecutiveFailures: 1 } }),
      'ACCOUNT_LOCKED',
    );
    await store.ackLockEvent(userId, `${locked.lockId}-other`);
    expect(expectCode(await fail(store, userId, 1, now), 'ACCOUNT_LOCKED').eventPending).toBe(true);
    await store.ackLockEvent(userId, locked.lockId);
    expect(expectCode(await fail(store, userId, 1, now), 'ACCOUNT_LOCKED')).toMatchObject({
      eventPending: false,
      lockId: locked.lockId,
    });
  });

  it('a success in between resets the consecutive count, so no lock', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('no-lock'));
    let now = baseTime();
    await fail(store, userId, 3, now);
    now += COOLDOWN;
    await fail(store, userId, 2, now);
    expect(await store.attempt(userId, attemptInput(totp(7), now))).toEqual(OK);
    await fail(store, userId, 3, now);
    now += COOLDOWN;
    expectCode(await fail(store, userId, 3, now), 'COOLDOWN');
    const status = await store.getLimiterStatus(userId, now);
    expect(status).toMatchObject({ locked: false, consecutiveFailures: 6 });
  });

  it('a family that does not count toward the lock never locks and never resets the consecutive count', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('setup'));
    let now = baseTime();
    const setup: AttemptOverrides = { family: 'sms-setup', limits: { countsTowardLock: false } };
    await fail(store, userId, 2, now);
    for (let round = 0; round < 5; round++) {
      expectCode(await fail(store, userId, 3, now, setup), 'COOLDOWN');
      now += COOLDOWN;
    }
    expect(await store.attempt(userId, attemptInput(outcome(true), now, setup))).toEqual(OK);
    const status = await store.getLimiterStatus(userId, now);
    expect(status).toMatchObject({ locked: false, consecutiveFailures: 2 });
  });

  it('temporary locks expire and grow by growthFactor, capped at maxDurationMs', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('temporary'));
    const temporary: AttemptOverrides = {
      limits: { maxFailures: 100 },
      lock: {
        mode: 'temporary',
        maxConsecutiveFailures: 2,
        durationMs: 10_000,
        growthFactor: 2,
        maxDurationMs: 25_000,
      },
    };
    let now = baseTime();
    for (const expected of [10_000, 20_000, 25_000]) {
      expectCode(await fail(store, userId, 1, now, temporary), 'INVALID_CODE');
      const locked = expectCode(await fail(store, userId, 1, now, temporary), 'ACCOUNT_LOCKED');
      expect(locked).toMatchObject({
        started: true,
        evaluated: true,
        until: now + expected,
        eventPending: true,
      });
      expect(await store.getLimiterStatus(userId, now + expected - 1)).toMatchObject({
        locked: true,
        lockedUntil: now + expected,
      });
      expect(
        expectCode(
          await store.attempt(userId, attemptInput(totp(null), now + expected - 1, temporary)),
          'ACCOUNT_LOCKED',
        ),
      ).toMatchObject({ evaluated: false, until: now + expected, lockId: locked.lockId });
      now += expected;
      expect((await store.getLimiterStatus(userId, now)).locked).toBe(false);
      // A correct code works again once the lock expired, and resets the consecutive count.
      expect(await store.attempt(userId, attemptInput(totp(now), now, temporary))).toEqual(OK);
    }
  });

  it('an admin lock refuses correct codes with no pending event until unlocked', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('admin-lock'));
    const now = baseTime();
    await store.lock(userId, { now, reason: 'admin', lockId: 'admin-lock-1', until: null });
    expect(await store.attempt(userId, attemptInput(totp(1), now + DAY_MS * 2))).toEqual({
      ok: false,
      code: 'ACCOUNT_LOCKED',
      evaluated: false,
      started: false,
      until: null,
      lockId: 'admin-lock-1',
      eventPending: false,
    });
    expect(await store.getLimiterStatus(userId, now)).toMatchObject({
      locked: true,
      lockedUntil: null,
      lockReason: 'admin',
    });
    await store.unlock(userId);
    expect(await store.attempt(userId, attemptInput(totp(1), now))).toEqual(OK);
  });

  it('an admin lock with an end expires on its own', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('admin-temporary'));
    const now = baseTime();
    await store.lock(userId, { now, reason: 'admin', lockId: 'admin-lock-2', until: now + 1_000 });
    expectCode(await store.attempt(userId, attemptInput(totp(1), now + 999)), 'ACCOUNT_LOCKED');
    expect(await store.attempt(userId, attemptInput(totp(1), now + 1_000))).toEqual(OK);
  });

  it('unlock lifts the lock and clears every counter and cooldown', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('unlock'));
    let now = baseTime();
    await store.replaceRecoveryCodes(userId, ['h1']);
    await fail(store, userId, 3, now);
    now += COOLDOWN;
    await fail(store, userId, 3, now);
    await fail(store, userId, 1, now, { family: 'recovery' });
    expect((await store.getLimiterStatus(userId, now)).locked).toBe(true);
    await store.unlock(userId);
    const status = await store.getLimiterStatus(userId, now);
    expect(status).toMatchObject({
      locked: false,
      lockedUntil: null,
      lockReason: null,
      consecutiveFailures: 0,
    });
    for (const family of Object.values(status.families))
      expect(family).toEqual({ failures: 0, cooldownUntil: null });
    expect(await store.attempt(userId, attemptInput(totp(1), now))).toEqual(OK);
    expect(await store.attempt(userId, attemptInput(recovery('h1'), now))).toEqual(OK);
  });

  it('resetCooldowns clears only the named families and not the lock', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('reset-cooldowns'));
    const now = baseTime();
    await fail(store, userId, 3, now);
    await fail(store, userId, 2, now, { family: 'recovery' });
    await store.resetCooldowns(userId, ['totp']);
    const status = await store.getLimiterStatus(userId, now);
    expect(status.families.totp ?? { failures: 0, cooldownUntil: null }).toEqual({
      failures: 0,
      cooldownUntil: null,
    });
    expect(status.families.recovery?.failures).toBe(2);
    expect(expectCode(await fail(store, userId, 1, now), 'INVALID_CODE').failures).toBe(1);

    await store.lock(userId, { now, reason: 'admin', lockId: 'admin-lock-3', until: null });
    await store.resetCooldowns(userId, ['totp', 'sms', 'recovery', 'password', 'sms-setup']);
    expectCode(await store.attempt(userId, attemptInput(totp(1), now)), 'ACCOUNT_LOCKED');
  });

  it('forgets counters untouched for 24 hours, but not those touched since', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('forget'));
    const now = baseTime();
    await fail(store, userId, 2, now);
    expect(expectCode(await fail(store, userId, 1, now + DAY_MS + 1), 'INVALID_CODE').failures).toBe(1);
    expect((await store.getLimiterStatus(userId, now + DAY_MS + 1)).consecutiveFailures).toBe(1);

    const other = newUserId('forget');
    await fail(store, other, 1, now, { limits: { maxFailures: 10 } });
    await fail(store, other, 1, now + DAY_MS - HOUR_MS, { limits: { maxFailures: 10 } });
    const later = now + 2 * DAY_MS - 2 * HOUR_MS;
    expect(
      expectCode(await fail(store, other, 1, later, { limits: { maxFailures: 10 } }), 'INVALID_CODE')
        .failures,
    ).toBe(3);
    expect((await store.getLimiterStatus(other, later + DAY_MS)).consecutiveFailures).toBe(0);
  });

  it('cooldowns in a row grow by cooldownGrowthFactor up to maxCooldownMs; a success resets the growth', async () => {
    const store = await makeStore();
    const userId = newUserId('cooldown-growth');
    const growth = {
      family: 'password' as const,
      limits: { cooldownGrowthFactor: 3, maxCooldownMs: COOLDOWN * 5, countsTowardLock: false },
    };
    let now = baseTime();
    const lengths: number[] = [];
    for (let round = 0; round < 4; round++) {
      const decision = expectCode(
        await fail(store, userId, TEST_LIMITS.maxFailures, now, growth),
        'COOLDOWN',
      );
      lengths.push(decision.retryAfterMs);
      now += decision.retryAfterMs;
    }
    expect(lengths).toEqual([COOLDOWN, COOLDOWN * 3, COOLDOWN * 5, COOLDOWN * 5]);
    expect(await store.attempt(userId, attemptInput(outcome(true), now, growth))).toEqual(OK);
    const again = expectCode(await fail(store, userId, TEST_LIMITS.maxFailures, now, growth), 'COOLDOWN');
    expect(again.retryAfterMs).toBe(COOLDOWN);
  });

  it('a password success never resets the consecutive count; a wrong password is counted even while locked', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('password-rules'));
    const now = baseTime();
    const password = { family: 'password' as const, limits: { countsTowardLock: false } };
    await fail(store, userId, 2, now);
    expect(await store.attempt(userId, attemptInput(outcome(true), now, password))).toEqual(OK);
    expect((await store.getLimiterStatus(userId, now)).consecutiveFailures).toBe(2);
    await store.lock(userId, { now, reason: 'admin', lockId: 'admin-lock', until: null });
    // A wrong password is answered as a wrong password (the lock is not revealed) and counted.
    expect(
      expectCode(await store.attempt(userId, attemptInput(outcome(false), now, password)), 'INVALID_CODE'),
    ).toMatchObject({
      failures: 1,
    });
    // The right one is refused by the lock.
    expectCode(await store.attempt(userId, attemptInput(outcome(true), now, password)), 'ACCOUNT_LOCKED');
  });

  it('unlock with a lock id lifts only that lock, in force, once', async () => {
    const store = await makeStore();
    const userId = newUserId('unlock-bound');
    const now = baseTime();
    await store.lock(userId, { now, reason: 'failures', lockId: 'first', until: null });
    expect(await store.unlock(userId, { lockId: 'other', now })).toBe(false);
    expect((await store.getLimiterStatus(userId, now)).lockId).toBe('first');
    // An admin lock placed meanwhile replaces it: the old id no longer lifts anything.
    await store.lock(userId, { now, reason: 'admin', lockId: 'second', until: null });
    expect(await store.unlock(userId, { lockId: 'first', now })).toBe(false);
    expect((await store.getLimiterStatus(userId, now)).locked).toBe(true);
    expect(await store.unlock(userId, { lockId: 'second', now })).toBe(true);
    expect(await store.unlock(userId, { lockId: 'second', now })).toBe(false);
    expect((await store.getLimiterStatus(userId, now)).locked).toBe(false);
    // An expired temporary lock is not in force.
    await store.lock(userId, { now, reason: 'failures', lockId: 'brief', until: now + 1_000 });
    expect(await store.unlock(userId, { lockId: 'brief', now: now + 1_000 })).toBe(false);
  });

  it('reports an empty status for an unknown user', async () => {
    const store = await makeStore();
    const status = await store.getLimiterStatus(newUserId('unknown'), baseTime());
    expect(status).toMatchObject({
      locked: false,
      lockedUntil: null,
      lockReason: null,
      consecutiveFailures: 0,
    });
    for (const family of Object.values(status.families))
      expect(family).toEqual({ failures: 0, cooldownUntil: null });
  });
}
