import { expect, it } from 'vitest';
import type { AttemptDecision, MfaStore } from '@mfa-kit/core';
import {
  attemptInput,
  baseTime,
  count,
  type MakeStore,
  newUserId,
  withTotpFactor,
  recovery,
  totp,
  UNREACHABLE_LIMITS,
  UNREACHABLE_LOCK,
} from './conformance-fixtures.js';

const OPEN = { limits: UNREACHABLE_LIMITS, lock: UNREACHABLE_LOCK };

function parallel<T>(n: number, call: () => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, call));
}

const isRefusal = (decision: AttemptDecision) => !decision.ok && !decision.evaluated;

/**
 * Races: N calls in flight at once. On a network store they really interleave
 * on the server, so these fail unless each operation is atomic.
 */
export function registerConcurrencyCases(makeStore: MakeStore<MfaStore>, concurrency: number): void {
  it(`accepts one recovery code exactly once among ${concurrency} parallel uses`, async () => {
    const store = await makeStore();
    const userId = newUserId('race-recovery');
    const now = baseTime();
    await store.replaceRecoveryCodes(userId, ['h1', 'h2']);
    const decisions = await parallel(concurrency, () =>
      store.attempt(userId, attemptInput(recovery('h1'), now, OPEN)),
    );
    expect(count(decisions, (decision) => decision.ok)).toBe(1);
    expect(count(decisions, (decision) => !decision.ok && decision.code === 'INVALID_CODE')).toBe(
      concurrency - 1,
    );
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(1);
  });

  it(`accepts one TOTP step exactly once among ${concurrency} parallel uses`, async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('race-totp'));
    const now = baseTime();
    const step = Math.floor(now / 30_000);
    const decisions = await parallel(concurrency, () =>
      store.attempt(userId, attemptInput(totp(step), now, OPEN)),
    );
    expect(count(decisions, (decision) => decision.ok)).toBe(1);
    expect(count(decisions, (d) => !d.ok && d.code === 'INVALID_CODE' && d.reason === 'replay')).toBe(
      concurrency - 1,
    );
  });

  it(`evaluates exactly maxFailures of ${concurrency * 4} parallel wrong codes, then refuses`, async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('race-cooldown'));
    const now = baseTime();
    const limits = { maxFailures: 5, cooldownMs: 60_000, countsTowardLock: true };
    const decisions = await parallel(concurrency * 4, () =>
      store.attempt(userId, attemptInput(totp(null), now, { limits, lock: UNREACHABLE_LOCK })),
    );
    expect(count(decisions, (decision) => decision.evaluated)).toBe(5);
    expect(count(decisions, (d) => !d.ok && d.code === 'INVALID_CODE')).toBe(4);
    expect(count(decisions, (d) => !d.ok && d.code === 'COOLDOWN' && d.started)).toBe(1);
    expect(count(decisions, (d) => !d.ok && d.code === 'COOLDOWN' && isRefusal(d))).toBe(concurrency * 4 - 5);
    const status = await store.getLimiterStatus(userId, now);
    expect(status.families.totp).toEqual({ failures: 0, cooldownUntil: now + 60_000 });
    expect(status.consecutiveFailures).toBe(5);
  });

  it(`locks exactly once among ${concurrency * 4} parallel wrong codes`, async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('race-lock'));
    const now = baseTime();
    const lock = { ...UNREACHABLE_LOCK, maxConsecutiveFailures: 7 };
    const decisions = await parallel(concurrency * 4, () =>
      store.attempt(userId, attemptInput(totp(null), now, { limits: UNREACHABLE_LIMITS, lock })),
    );
    expect(count(decisions, (decision) => decision.evaluated)).toBe(7);
    const locks = decisions.filter((d) => !d.ok && d.code === 'ACCOUNT_LOCKED');
    expect(locks).toHaveLength(concurrency * 4 - 6);
    expect(count(locks, (d) => !d.ok && d.code === 'ACCOUNT_LOCKED' && d.started)).toBe(1);
    // Every refusal names the one lock, so its ACCOUNT_LOCK event is recorded exactly once.
    expect(new Set(locks.map((d) => (!d.ok && d.code === 'ACCOUNT_LOCKED' ? d.lockId : null))).size).toBe(1);
  });

  it(`counts ${concurrency} parallel grace sign-ins exactly`, async () => {
    const store = await makeStore();
    const userId = newUserId('race-grace');
    const counts = await parallel(concurrency, () => store.incrementGraceSignIns(userId));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: concurrency }, (_, i) => i + 1));
    expect((await store.getRecord(userId))?.graceSignInsUsed).toBe(concurrency);
  });
}
