import type { AttemptDecision, AttemptInput } from '../types.js';
import { cooldownDuration, lockDuration } from './durations.js';
import { emptyFamilyState, forgetIfStale, type LimiterState, lockActive } from './limiter-state.js';
import { isRetryOf, markerAfterSuccess } from './retry.js';

/**
 * A wrong password is counted even while the account is locked, and answered
 * like any wrong password: a lock is only ever revealed to someone who
 * presents the correct password, so an anonymous caller can't tell a locked
 * account from an unknown username (no enumeration, issue 10).
 */
export function isWrongPassword(input: AttemptInput): boolean {
  return input.family === 'password' && input.check.type === 'outcome' && !input.check.success;
}

/** What the evaluated check found (step 3 of `MfaStore.attempt`). */
export type CheckResult =
  | { ok: true }
  | { ok: false; reason: 'mismatch' | 'replay' | 'expired' | 'missing' | 'counter' };

/**
 * The limiter's rules: steps 1, 2, 4 and 5 of `MfaStore.attempt` around the
 * evaluated check (step 3, done by the caller through `evaluate`, which runs
 * only when the user is neither locked nor cooling down). Synchronous: the
 * whole decision is one critical section. The memory store runs this; the
 * Redis attempt script (`redis/scripts/attempt.lua.ts`) is its line-by-line
 * Lua twin, and the differential property test (`test/properties/`) holds
 * the two and an independent model to the same answers.
 *
 * Two rules protect users from anonymous lockout (core README, "Attempt
 * limiting: threat model and defaults"):
 * - a family's cooldowns grow (`cooldownGrowthFactor`, capped at
 *   `maxCooldownMs`) instead of ending in a lock, so the password family,
 *   which counts nothing toward the lock by default, only ever cools down;
 * - a password success never resets the consecutive count: a correct
 *   password is half a sign-in, and whoever knows it must not be able to
 *   guess second-factor codes forever by re-entering it.
 */
export function decideAttempt(
  state: LimiterState,
  input: AttemptInput,
  evaluate: () => CheckResult,
  newLockId: () => string,
): AttemptDecision {
  const { now, family, limits, lock } = input;
  forgetIfStale(state, now);

  if (lockActive(state.lock, now) && !isWrongPassword(input)) {
    const current = state.lock;
    return {
      ok: false,
      code: 'ACCOUNT_LOCKED',
      evaluated: false,
      started: false,
      until: current.until,
      lockId: current.lockId,
      eventPending: current.eventPending,
    };
  }
  const familyState = state.families.get(family) ?? emptyFamilyState();
  if (familyState.cooldownUntil !== null && now < familyState.cooldownUntil) {
    return {
      ok: false,
      code: 'COOLDOWN',
      evaluated: false,
      started: false,
      retryAfterMs: familyState.cooldownUntil - now,
    };
  }

  const result = evaluate();
  // The same attempt presenting what it already spent (its answer was lost): refused, nothing charged or changed.
  if (!result.ok && isRetryOf(state.retry, input, result.reason)) {
    const failures = familyState.failures;
    return {
      ok: false,
      code: 'INVALID_CODE',
      evaluated: false,
      reason: 'retry',
      failures,
      remaining: limits.maxFailures - failures,
    };
  }
  if (result.ok) state.retry = markerAfterSuccess(state.retry, input);
  state.touchedAt = now;
  state.families.set(family, familyState);
  if (result.ok) {
    familyState.failures = 0;
    familyState.cooldowns = 0;
    if (limits.countsTowardLock && family !== 'password') state.consecutive = 0;
    return { ok: true, evaluated: true };
  }

  familyState.failures += 1;
  if (limits.countsTowardLock) {
    state.consecutive += 1;
    if (state.consecutive >= lock.maxConsecutiveFailures) {
      state.locksStarted += 1;
      familyState.failures = 0; // the lock supersedes the family's cooldown
      const until = lock.mode === 'temporary' ? now + lockDuration(lock, state.locksStarted) : null;
      state.lock = { lockId: newLockId(), reason: 'failures', until, eventPending: true };
      return {
        ok: false,
        code: 'ACCOUNT_LOCKED',
        evaluated: true,
        started: true,
        until,
        lockId: state.lock.lockId,
        eventPending: true,
      };
    }
  }
  if (familyState.failures >= limits.maxFailures) {
    familyState.cooldowns += 1;
    const duration = cooldownDuration(limits, familyState.cooldowns);
    familyState.cooldownUntil = now + duration;
    familyState.failures = 0;
    return { ok: false, code: 'COOLDOWN', evaluated: true, started: true, retryAfterMs: duration };
  }
  return {
    ok: false,
    code: 'INVALID_CODE',
    evaluated: true,
    reason: result.reason,
    failures: familyState.failures,
    remaining: limits.maxFailures - familyState.failures,
  };
}
