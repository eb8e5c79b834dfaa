import type {
  AttemptDecision,
  AttemptInput,
  LimitFamily,
  LimiterStatus,
  MfaRecord,
  SmsChallenge,
  SmsFactor,
  TotpFactor,
  WebAuthnChallenge,
  WebAuthnCredential,
} from '../types.js';

/** Outcome of {@link MfaStore.addWebAuthnCredential}. */
export type AddWebAuthnCredentialResult = 'added' | 'refused' | 'missing' | 'duplicate' | 'full';

/**
 * Everything mfa-kit keeps per user: the enrolment record (factors, recovery
 * code hashes, session epoch, the last accepted step of the TOTP factor),
 * pending SMS codes, and the limiter state (failure counters, cooldowns,
 * lock). Unknown usernames get limiter state too, under an id core derives
 * (a keyed hash of the normalised name), so they are counted like users.
 *
 * They live behind one port because the verification decision must read and
 * write all of them in one atomic step (see {@link MfaStore.attempt}); on Redis
 * every per-user key shares the user's hash tag so one Lua script can do it on
 * a cluster.
 *
 * Atomicity rules (checked by `runMfaStoreConformance` from
 * `@mfa-kit/testing`):
 * - `attempt` is one atomic operation (one Lua script, one critical section).
 * - A TOTP step accepted for a TOTP factor is never accepted again for that
 *   factor, whatever the concurrency (RFC 6238 §5.2), not even for the
 *   attempt that spent it (its retry is refused uncharged, `AttemptInput.retry`).
 *   Replay state belongs to the factor: `setTotp` and `resetFactors` clear it with the factor, so a
 *   new secret's first code works at once (issue 9), while the old secret,
 *   being gone, can match nothing.
 * - A recovery code hash (and an SMS code) is consumed at most once, whatever
 *   the concurrency.
 * - A lock is never lifted except by `unlock` (or by expiry in temporary mode).
 *
 * Time: every `now` argument is the caller's clock. A store may judge
 * limiter times by a clock of its own (the Redis store uses Redis `TIME`, one
 * clock for every app server); it then reports absolute times (`until`,
 * `cooldownUntil`, `expiresAt`) translated into the caller's clock, i.e. as
 * `now + (its time - its now)`, so durations are right whatever the skew.
 *
 * Every method rejects with `MfaError('STORE_UNAVAILABLE')` when the backend
 * can't be reached within its timeout; it never resolves with a guess.
 */
export interface MfaStore {
  /** The user's record, or null when the user has none (never enrolled, or reset and never re-enrolled). */
  getRecord(userId: string): Promise<MfaRecord | null>;
  /**
   * Sets (or with null removes) the TOTP factor, creating the record if needed.
   * Removing a factor that was set bumps the epoch in the same atomic step.
   * The factor's used steps go with the factor: a new factor starts with
   * `usedStep` as its last accepted step (the step of the code that confirmed
   * it) or none; the same factor re-sealed (equal `enrolledAt`, as key rotation
   * does) keeps its own.
   *
   * With `onlyIfAbsent`, the factor is set only when the user has no TOTP
   * factor, in the same atomic step (enrolment and import never replace a
   * factor, whatever the concurrency). Resolves false when it was not set
   * (a factor was there), true otherwise.
   */
  setTotp(
    userId: string,
    factor: TotpFactor | null,
    input?: { usedStep?: number; onlyIfAbsent?: boolean },
  ): Promise<boolean>;
  /**
   * Sets (or with null removes) the SMS factor, creating the record if needed.
   * Removing a factor that was set bumps the epoch in the same atomic step.
   */
  setSms(userId: string, factor: SmsFactor | null): Promise<void>;
  /** Replaces the whole recovery-code set with these keyed hashes (empty → none left). */
  replaceRecoveryCodes(userId: string, hashes: readonly string[]): Promise<void>;
  /**
   * Stores a pending WebAuthn challenge, expiring at `expiresAt` (caller's
   * clock, read at `now`). Several may be live per user (sign-ins on several
   * browsers); expired ones are dropped, and past 20 live ones the one that
   * expires first.
   */
  putWebAuthnChallenge(userId: string, challenge: WebAuthnChallenge, now: number): Promise<void>;
  /**
   * WebAuthn registration, in one atomic step: consumes the challenge
   * (`missing` unless it is live at `now`, of purpose `register` and bound to
   * `binding`; a challenge under another binding is left alone), whatever
   * follows (single-use, like a sign-in challenge in `attempt`); then, when
   * `credential` is null (the verifier refused the attestation), `refused`;
   * else adds the credential (creating the record) unless the user has one
   * with its id (`duplicate`) or already has `max` credentials (`full`); else
   * `added`.
   */
  addWebAuthnCredential(
    userId: string,
    credential: WebAuthnCredential | null,
    input: { challenge: string; binding: string; now: number; max: number },
  ): Promise<AddWebAuthnCredentialResult>;
  /** Renames a credential; resolves false when the user has no credential with that id. */
  renameWebAuthnCredential(userId: string, credentialId: string, name: string): Promise<boolean>;
  /**
   * Removes a credential (with its counter) and bumps the epoch in the same
   * atomic step (factor removal ends every session); resolves the new epoch,
   * or null, changing nothing, when there was no credential with that id.
   */
  removeWebAuthnCredential(userId: string, credentialId: string): Promise<number | null>;
  /**
   * Removes every factor (with the TOTP factor's used steps and every WebAuthn
   * credential), recovery code, pending SMS and WebAuthn challenge, resets `graceSignInsUsed`, and bumps the
   * epoch; keeps the limiter state except the retry marker (see `attempt`:
   * nothing spent before a reset is answered as a success after it).
   * Returns the new epoch.
   */
  resetFactors(userId: string): Promise<number>;
  /**
   * The user's session epoch (generation): 0 for a user without a record.
   * Read on every session load, so it must be one cheap read.
   */
  getEpoch(userId: string): Promise<number>;
  /** Bumps the session epoch (revokes sessions that recorded an older one). Returns the new epoch. */
  bumpEpoch(userId: string): Promise<number>;
  /** Atomically adds one grace sign-in; returns the new count. */
  incrementGraceSignIns(userId: string): Promise<number>;
  /**
   * One page of the ids of every user that has a record (see `getRecord`;
   * a reset keeps the record, so reset users are listed too), for maintenance
   * over all users such as key rotation. Start with `cursor: null`; pass back
   * `nextCursor` until it is null. `count` is a hint like Redis `SCAN COUNT`:
   * a page may hold fewer ids (even none while `nextCursor` is not null) or a
   * few more. The cursor is opaque and only valid for the store that made it.
   *
   * Not a snapshot: when no record is created or removed meanwhile, every user
   * is listed exactly once across the pages; a user whose record is created
   * or removed during the iteration may or may not be listed (the Redis store
   * walks the keyspace with SCAN, which also may repeat an id if Redis shrinks
   * its table meanwhile, so callers must be idempotent per user).
   */
  listUserIds(input: { cursor: string | null; count: number }): Promise<{
    userIds: string[];
    nextCursor: string | null;
  }>;

  /** Stores a pending SMS challenge of its purpose (replacing an older one), expiring at `expiresAt` (caller's clock, read at `now`). */
  putSmsChallenge(userId: string, challenge: SmsChallenge, now: number): Promise<void>;
  /** The live challenge of this purpose, or null (none, or expired at `now`). */
  getSmsChallenge(
    userId: string,
    purpose: SmsChallenge['purpose'],
    now: number,
  ): Promise<SmsChallenge | null>;
  /** Removes the challenge of this purpose, if any. */
  deleteSmsChallenge(userId: string, purpose: SmsChallenge['purpose']): Promise<void>;

  /**
   * The verification decision, atomically:
   * 1. locked (permanent, or temporary and not expired at `now`) → ACCOUNT_LOCKED, nothing counted; except
   *    a failed `outcome` of family `password`, which goes on to step 2 (a lock is revealed only to whoever
   *    presents the correct password: no enumeration of locked accounts);
   * 2. family in cooldown at `now` → COOLDOWN, nothing counted;
   * 3. evaluate the check:
   *    - totp: success iff `step !== null`, the record has a TOTP factor, it is the factor named by
   *      `enrolledAt` (when given), and `step` > the factor's last accepted step (then it becomes the last
   *      step); `step` ≤ last → failure `replay`; null, no TOTP factor or another factor → failure `mismatch`;
   *    - recovery: success iff `hash` is in the set (then it is removed); else failure `mismatch`;
   *    - sms: success iff a live challenge of `purpose` exists and its `codeHash` equals `hash` (then the
   *      challenge is deleted); no challenge → failure `missing`; wrong hash → `mismatch`;
   *    - webauthn: the challenge must be live, of purpose `sign-in` and bound to `binding`, else failure
   *      `missing` (a challenge of another binding stays); it is consumed whatever follows (single-use);
   *      then `verified` and a credential with `credentialId`, else `mismatch`; then, unless both are 0,
   *      `counter` > the credential's counter, else `counter` (a possible clone); success stores
   *      `counter`, `backedUp` and `lastUsedAt = now` on the credential;
   *    - outcome: success iff `success`;
   *    - retry: a failed totp (`replay`), recovery or sms check is refused uncharged (INVALID_CODE with
   *      reason `retry`, `evaluated: false`, the family's current failures and remaining; nothing else of
   *      steps 4–5 happens and the state is unchanged) when `retry` is given and the retry marker holds this
   *      same spend (`totp:<enrolledAt>:<step>`, `recovery:<hash>`, `sms:<purpose>:<hash>`) by the same
   *      `retry.attemptId`, and `now` < its end;
   *      a successful totp/recovery/sms check sets the marker to its spend, this attempt id
   *      and `now + retry.windowMs`, or removes it when `retry` is absent. The marker belongs to the
   *      limiter state (forgotten with it, removed by `unlock` and `resetFactors`);
   * 4. success → the family's failures and cooldowns-in-a-row reset to 0, and so does the consecutive count
   *    when the family counts toward the lock and is not `password` (a password is half a sign-in);
   * 5. failure → family failures + 1 and, when the family counts toward the lock, consecutive + 1; then
   *    if consecutive ≥ `lock.maxConsecutiveFailures` → lock now (new lockId, `eventPending` true, family
   *    failures back to 0 since the lock supersedes the cooldown) and return ACCOUNT_LOCKED with
   *    `started: true`; else if family failures ≥ `limits.maxFailures` → cooldowns-in-a-row + 1 = n, cooldown
   *    until `now + min(cooldownMs * cooldownGrowthFactor^(n-1), maxCooldownMs)` (whole ms, rounded down),
   *    family failures back to 0, return COOLDOWN with `started: true`; else INVALID_CODE with failures and
   *    remaining.
   * A temporary lock lasts `min(durationMs * growthFactor^(locks - 1), maxDurationMs)` rounded down to a
   * whole millisecond. Counters untouched for 24 hours are forgotten; cooldowns and temporary locks expire on their own;
   * permanent locks and the TOTP factor's last step never expire (the step goes with its factor).
   */
  attempt(userId: string, input: AttemptInput): Promise<AttemptDecision>;
  /** Current limiter state at `now`. */
  getLimiterStatus(userId: string, now: number): Promise<LimiterStatus>;
  /**
   * Locks the account now (admin action) and bumps the session epoch in the same atomic step, so a
   * locked user keeps no live session. A lock made here has `eventPending` false: the caller records
   * its audit event itself.
   */
  lock(
    userId: string,
    input: { now: number; reason: string; lockId: string; until: number | null },
  ): Promise<void>;
  /**
   * Lifts a lock and clears every failure counter and cooldown of the user; resolves true.
   * With `lockId`, one atomic compare-and-unlock: only if the lock in force at `now` is that lock
   * (an unlock link is bound to the lock it was issued for); otherwise changes nothing and resolves false.
   */
  unlock(userId: string, input?: { lockId: string; now: number }): Promise<boolean>;
  /** Clears the cooldowns (with their growth) and failure counters of these families (not the lock). */
  resetCooldowns(userId: string, families: readonly LimitFamily[]): Promise<void>;
  /** Marks the ACCOUNT_LOCK event of lock `lockId` as recorded (no-op if the lock changed since). */
  ackLockEvent(userId: string, lockId: string): Promise<void>;
}
