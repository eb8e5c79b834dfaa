import type { LimitFamily } from '../types.js';
import type { RetryMarker } from './retry.js';

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
  /** Cooldowns started since the family's last success (or reset): picks the length of the next one. */
  cooldowns: number;
}

/** An account lock (permanent when `until` is null). */
export interface LockState {
  lockId: string;
  reason: string;
  until: number | null;
  eventPending: boolean;
}

/**
 * Everything the limiter keeps for one user (or one unknown username); both
 * backends hold exactly this (the Redis `limits` hash field by field, see
 * `redis/keys.ts`), and only the rules in this folder change it.
 */
export interface LimiterState {
  families: Map<LimitFamily, FamilyState>;
  consecutive: number;
  lock: LockState | null;
  /** Failure locks started, for temporary-lock growth. */
  locksStarted: number;
  /** `now` of the last write; null when nothing was ever written. */
  touchedAt: number | null;
  /** The last spend of an attempt that named itself, for its retry (see `retry.ts`). */
  retry: RetryMarker | null;
}

/** A fresh, empty limiter state. */
export function emptyLimiterState(): LimiterState {
  return { families: new Map(), consecutive: 0, lock: null, locksStarted: 0, touchedAt: null, retry: null };
}

/** A family that never failed. */
export function emptyFamilyState(): FamilyState {
  return { failures: 0, cooldownUntil: null, cooldowns: 0 };
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
