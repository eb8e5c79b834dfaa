import type { AttemptDecision, AttemptInput, LimitFamily, LimiterStatus, SmsChallenge } from '@mfa-kit/core';

/** Limiter state is forgotten this long after its last write (`MfaStore.attempt` JSDoc). */
const DAY_MS = 24 * 60 * 60_000;

interface ModelFamily {
  failures: number;
  cooldownUntil: number | null;
  /** Cooldowns in a row since the last success: the n-th lasts cooldownMs * growth^(n-1), capped. */
  streak: number;
}

interface ModelLock {
  lockId: string;
  reason: string;
  until: number | null;
  eventPending: boolean;
}

interface ModelUser {
  families: Map<LimitFamily, ModelFamily>;
  consecutive: number;
  lock: ModelLock | null;
  locksStarted: number;
  touchedAt: number | null;
  /** The TOTP factor (its enrolledAt) and its last accepted step: replay state belongs to the factor. */
  totp: { enrolledAt: number; lastStep: number | null } | null;
  hasRecord: boolean;
  epoch: number;
  recovery: Set<string>;
  challenges: Map<SmsChallenge['purpose'], { codeHash: string; expiresAt: number }>;
  /** "the retry marker": the last spend of a named attempt, part of the limiter state. */
  retry: { attemptId: string; spent: string; until: number } | null;
}

/** The port's names of what a check spends: `totp:<enrolledAt>:<step>`, `recovery:<hash>`, `sms:<purpose>:<hash>`. */
function spendName(check: AttemptInput['check']): string | null {
  if (check.type === 'totp')
    return check.step === null ? null : `totp:${check.enrolledAt ?? ''}:${check.step}`;
  if (check.type === 'recovery') return check.hash === null ? null : `recovery:${check.hash}`;
  if (check.type === 'sms') return check.hash === null ? null : `sms:${check.purpose}:${check.hash}`;
  return null;
}

/**
 * An independent, deliberately naive reading of the `MfaStore` JSDoc (the
 * specification of `attempt`), written from the port's text rather than from
 * either backend, so a mistake shared by both backends (the Redis status view
 * reuses the memory limiter's code) still shows up as a disagreement.
 *
 * Only the parts the property test drives are modelled: the limiter (with the
 * retry marker of a named attempt), the TOTP factor's identity and last step,
 * recovery hashes, SMS challenges and the record's epoch.
 */
export class LimiterReferenceModel {
  readonly #users = new Map<string, ModelUser>();

  #user(userId: string): ModelUser {
    let user = this.#users.get(userId);
    if (user === undefined) {
      user = {
        families: new Map(),
        consecutive: 0,
        lock: null,
        locksStarted: 0,
        touchedAt: null,
        totp: null,
        hasRecord: false,
        epoch: 0,
        recovery: new Set(),
        challenges: new Map(),
        retry: null,
      };
      this.#users.set(userId, user);
    }
    return user;
  }

  /** "Counters untouched for 24 hours are forgotten": later while a cooldown or temporary lock outlives that; never under a permanent lock. */
  #forget(user: ModelUser, now: number): void {
    if (user.touchedAt === null) return;
    if (user.lock !== null && user.lock.until === null) return;
    const ends = [user.touchedAt + DAY_MS];
    if (user.lock?.until != null) ends.push(user.lock.until);
    for (const family of user.families.values()) {
      if (family.cooldownUntil !== null) ends.push(family.cooldownUntil);
    }
    if (now < Math.max(...ends)) return;
    user.families = new Map();
    user.consecutive = 0;
    user.lock = null;
    user.locksStarted = 0;
    user.touchedAt = null;
    user.retry = null;
  }

  /** The decision the spec prescribes; `newLockId` is called only when this attempt starts a lock. */
  attempt(userId: string, input: AttemptInput, newLockId: () => string): AttemptDecision {
    const user = this.#user(userId);
    const { now, family, limits, lock, check } = input;
    this.#forget(user, now);
    const current = user.lock;
    // "except a failed outcome of family password, which goes on to step 2"
    const wrongPassword = family === 'password' && check.type === 'outcome' && !check.success;
    if (current !== null && (current.until === null || now < current.until) && !wrongPassword) {
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
    const counters = user.families.get(family) ?? { failures: 0, cooldownUntil: null, streak: 0 };
    if (counters.cooldownUntil !== null && now < counters.cooldownUntil) {
      return {
        ok: false,
        code: 'COOLDOWN',
        evaluated: false,
        started: false,
        retryAfterMs: counters.cooldownUntil - now,
      };
    }

    let ok = false;
    let reason: 'mismatch' | 'replay' | 'missing' = 'mismatch';
    if (check.type === 'totp') {
      // "it is the factor named by enrolledAt (when given)"
      const named = check.enrolledAt === undefined || check.enrolledAt === user.totp?.enrolledAt;
      if (check.step !== null && user.totp !== null && named) {
        if (user.totp.lastStep === null || check.step > user.totp.lastStep) {
          user.totp.lastStep = check.step;
          ok = true;
        } else {
          reason = 'replay';
        }
      }
    } else if (check.type === 'recovery') {
      ok = check.hash !== null && user.recovery.delete(check.hash);
    } else if (check.type === 'sms') {
      const challenge = user.challenges.get(check.purpose);
      if (challenge === undefined || now >= challenge.expiresAt) {
        reason = 'missing';
      } else if (check.hash !== null && check.hash === challenge.codeHash) {
        user.challenges.delete(check.purpose);
        ok = true;
      }
    } else if (check.type === 'outcome') {
      ok = check.success;
    } else {
      // WebAuthn challenges and credentials are not modelled here (see the conformance suite's cases).
      reason = 'missing';
    }

    const spent = spendName(check);
    const { retry } = input;
    if (ok && spent !== null) {
      user.retry =
        retry === undefined ? null : { attemptId: retry.attemptId, spent, until: now + retry.windowMs };
    } else if (
      !ok &&
      spent !== null &&
      retry !== undefined &&
      (check.type !== 'totp' || reason === 'replay') &&
      user.retry !== null &&
      user.retry.attemptId === retry.attemptId &&
      user.retry.spent === spent &&
      now < user.retry.until
    ) {
      // The attempt's own spend again (its answer was lost): refused, and nothing charged or changed.
      const failures = counters.failures;
      return {
        ok: false,
        code: 'INVALID_CODE',
        evaluated: false,
        reason: 'retry',
        failures,
        remaining: limits.maxFailures - failures,
      };
    }

    user.touchedAt = now;
    user.families.set(family, counters);
    if (ok) {
      counters.failures = 0;
      counters.streak = 0;
      if (limits.countsTowardLock && family !== 'password') user.consecutive = 0;
      return { ok: true, evaluated: true };
    }
    counters.failures += 1;
    if (limits.countsTowardLock) {
      user.consecutive += 1;
      if (user.consecutive >= lock.maxConsecutiveFailures) {
        user.locksStarted += 1;
        // The lock supersedes the family's cooldown: its failure budget starts again at 0.
        counters.failures = 0;
        // The port floors `durationMs * growthFactor^(n-1)` to whole milliseconds (growthFactor may be 1.5).
        const until =
          lock.mode === 'temporary'
            ? now +
              Math.floor(
                Math.min(lock.durationMs * lock.growthFactor ** (user.locksStarted - 1), lock.maxDurationMs),
              )
            : null;
        const lockId = newLockId();
        user.lock = { lockId, reason: 'failures', until, eventPending: true };
        return {
          ok: false,
          code: 'ACCOUNT_LOCKED',
          evaluated: true,
          started: true,
          until,
          lockId,
          eventPending: true,
        };
      }
    }
    if (counters.failures >= limits.maxFailures) {
      counters.streak += 1;
      const cap = Math.max(limits.maxCooldownMs ?? limits.cooldownMs, limits.cooldownMs);
      const length = Math.floor(
        Math.min(limits.cooldownMs * (limits.cooldownGrowthFactor ?? 1) ** (counters.streak - 1), cap),
      );
      counters.cooldownUntil = now + length;
      counters.failures = 0;
      return { ok: false, code: 'COOLDOWN', evaluated: true, started: true, retryAfterMs: length };
    }
    return {
      ok: false,
      code: 'INVALID_CODE',
      evaluated: true,
      reason,
      failures: counters.failures,
      remaining: limits.maxFailures - counters.failures,
    };
  }

  /** `getLimiterStatus` at `now`. */
  status(userId: string, now: number): LimiterStatus {
    const user = this.#user(userId);
    this.#forget(user, now);
    const locked = user.lock !== null && (user.lock.until === null || now < user.lock.until);
    const families: LimiterStatus['families'] = {};
    for (const [family, value] of user.families) {
      families[family] = {
        failures: value.failures,
        cooldownUntil: value.cooldownUntil !== null && now < value.cooldownUntil ? value.cooldownUntil : null,
      };
    }
    return {
      locked,
      lockedUntil: locked ? (user.lock?.until ?? null) : null,
      lockReason: locked ? (user.lock?.reason ?? null) : null,
      lockId: locked ? (user.lock?.lockId ?? null) : null,
      consecutiveFailures: user.consecutive,
      families,
    };
  }

  /** Admin `lock`: no pending event (the caller records it); bumps the epoch (creating the record). */
  lock(userId: string, input: { now: number; reason: string; lockId: string; until: number | null }): void {
    const user = this.#user(userId);
    this.#forget(user, input.now);
    user.lock = { lockId: input.lockId, reason: input.reason, until: input.until, eventPending: false };
    user.touchedAt = input.now;
    user.hasRecord = true;
    user.epoch += 1;
  }

  /** `unlock`: lifts the lock and clears every counter and cooldown; with a lock id only that lock, if in force. */
  unlock(userId: string, bound?: { lockId: string; now: number }): boolean {
    const user = this.#user(userId);
    if (bound !== undefined) {
      this.#forget(user, bound.now);
      const lock = user.lock;
      if (lock === null || lock.lockId !== bound.lockId) return false;
      if (lock.until !== null && bound.now >= lock.until) return false;
    }
    user.lock = null;
    user.consecutive = 0;
    user.families = new Map();
    user.retry = null;
    return true;
  }

  /** `setTotp`: a new factor (another enrolledAt) starts with no used steps; the same one keeps them; removal bumps the epoch. */
  setTotp(userId: string, enrolledAt: number | null): void {
    const user = this.#user(userId);
    user.hasRecord = true;
    // "Removing a factor that was set bumps the epoch in the same atomic step."
    if (enrolledAt === null && user.totp !== null) user.epoch += 1;
    if (enrolledAt === null) user.totp = null;
    else if (user.totp?.enrolledAt !== enrolledAt) user.totp = { enrolledAt, lastStep: null };
  }

  /** `resetCooldowns`: clears those families' counters and cooldowns, not the lock. */
  resetCooldowns(userId: string, families: readonly LimitFamily[]): void {
    const user = this.#user(userId);
    for (const family of families) user.families.delete(family);
  }

  /** `ackLockEvent`: only for the current lock. */
  ackLockEvent(userId: string, lockId: string): void {
    const lock = this.#user(userId).lock;
    if (lock !== null && lock.lockId === lockId) lock.eventPending = false;
  }

  /** `replaceRecoveryCodes`: creates the record if needed. */
  replaceRecoveryCodes(userId: string, hashes: readonly string[]): void {
    const user = this.#user(userId);
    user.hasRecord = true;
    user.recovery = new Set(hashes);
  }

  /** `resetFactors`: removes the factors (the TOTP factor with its steps); keeps the limiter; bumps the epoch. */
  resetFactors(userId: string): number {
    const user = this.#user(userId);
    user.hasRecord = true;
    user.totp = null;
    user.recovery = new Set();
    user.challenges.clear();
    user.retry = null;
    user.epoch += 1;
    return user.epoch;
  }

  /** `putSmsChallenge`: replaces the challenge of that purpose. */
  putSmsChallenge(
    userId: string,
    purpose: SmsChallenge['purpose'],
    codeHash: string,
    expiresAt: number,
  ): void {
    this.#user(userId).challenges.set(purpose, { codeHash, expiresAt });
  }

  /** The parts of `getRecord` the model tracks (null when there is no record). */
  record(userId: string): { recoveryCodesRemaining: number; epoch: number } | null {
    const user = this.#user(userId);
    return user.hasRecord ? { recoveryCodesRemaining: user.recovery.size, epoch: user.epoch } : null;
  }
}
