import type { AttemptDecision, AttemptInput, LimitFamily, LimiterStatus, LockLimits } from '../types.js';

/**
 * Limiter state is forgotten this long after its last write (see
 * `MfaStore.attempt`), unless a cooldown or lock outlives it.
 */
export const LIMITER_FORGET_AFTER_MS = 24 * 60 * 60_000;

/** One family's counter and cooldown. */
export interface FamilyState {
  failures: number;
  /** Epoch ms; null when no cooldown was started since the last reset. */
  cooldownUntil: number | null;
}

/** An account lock (permanent when `until` is null). */
export interface LockState {
  lockId: string;
  reason: string;
  until: number | null;
  eventPending: boolean;
}

/** Everything the limiter keeps for one user; mutated only inside one synchronous critical section. */
export interface LimiterState {
  families: Map<LimitFamily, FamilyState>;
  consecutive: number;
  lock: LockState | null;
  /** Failure locks started, for temporary-lock growth. */
  locksStarted: number;
  /** `now` of the last write; null when nothing was ever written. */
  touchedAt: number | null;
}

/** A fresh, empty limiter state. */
export function emptyLimiterState(): LimiterState {
  return { families: new Map(), consecutive: 0, lock: null, locksStarted: 0, touchedAt: null };
}

/** Whether `lock` is in force at `now` (permanent, or temporary and not yet expired). */
export function lockActive(lock: LockState | null, now: number): lock is LockState {
  return lock !== null && (lock.until === null || now < lock.until);
}

/**
 * Forgets state untouched for 24 hours at `now`, mirroring the Redis key's
 * TTL: 24 h after the last write, longer while a cooldown or temporary lock
 * outlives that, never while a permanent lock is set.
 */
export function forgetIfStale(state: LimiterState, now: number): void {
  if (state.touchedAt === null) return;
  if (state.lock !== null && state.lock.until === null) return;
  let expiresAt = state.touchedAt + LIMITER_FORGET_AFTER_MS;
  if (state.lock?.until != null) expiresAt = Math.max(expiresAt, state.lock.until);
  for (const family of state.families.values()) {
    if (family.cooldownUntil !== null) expiresAt = Math.max(expiresAt, family.cooldownUntil);
  }
  if (now >= expiresAt) Object.assign(state, emptyLimiterState());
}

// Whole milliseconds, rounded down, so every backend ends a grown lock at the same instant
// (see MfaStore.attempt; the Redis script floors the same way).
function lockDuration(lock: LockLimits, locksStarted: number): number {
  const grown = lock.durationMs * lock.growthFactor ** Math.max(0, locksStarted - 1);
  return Math.floor(Math.min(grown, lock.maxDurationMs));
}

/**
 * Steps 1, 2, 4 and 5 of `MfaStore.attempt` around the evaluated check
 * (step 3, done by the caller through `evaluate`, which runs only when the
 * user is neither locked nor cooling down). Synchronous: the whole decision
 * is one critical section.
 */
export function decideAttempt(
  state: LimiterState,
  input: AttemptInput,
  evaluate: () => { ok: true } | { ok: false; reason: 'mismatch' | 'replay' | 'expired' | 'missing' },
  newLockId: () => string,
): AttemptDecision {
  const { now, family, limits, lock } = input;
  forgetIfStale(state, now);

  if (lockActive(state.lock, now)) {
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
  const familyState = state.families.get(family) ?? { failures: 0, cooldownUntil: null };
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
  state.touchedAt = now;
  state.families.set(family, familyState);
  if (result.ok) {
    familyState.failures = 0;
    if (limits.countsTowardLock) state.consecutive = 0;
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
    familyState.cooldownUntil = now + limits.cooldownMs;
    familyState.failures = 0;
    return { ok: false, code: 'COOLDOWN', evaluated: true, started: true, retryAfterMs: limits.cooldownMs };
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

/** The status view of `state` at `now` (after forgetting stale state). */
export function limiterStatus(state: LimiterState, now: number): LimiterStatus {
  forgetIfStale(state, now);
  const locked = lockActive(state.lock, now);
  const families: LimiterStatus['families'] = {};
  for (const [family, value] of state.families) {
    families[family] = {
      failures: value.failures,
      cooldownUntil: value.cooldownUntil !== null && now < value.cooldownUntil ? value.cooldownUntil : null,
    };
  }
  return {
    locked,
    lockedUntil: locked ? (state.lock?.until ?? null) : null,
    lockReason: locked ? (state.lock?.reason ?? null) : null,
    consecutiveFailures: state.consecutive,
    families,
  };
}
