/** Hash algorithms supported for TOTP/HOTP (RFC 6238 §1.2). */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** The factors a user can verify with. `webauthn` (passkeys, security keys) is the phishing-resistant one. */
export type FactorType = 'totp' | 'sms' | 'recovery' | 'webauthn';

/** The user as mfa-kit sees it; the app owns its users and passes this in. */
export interface MfaUser {
  /** The app's user id. Any non-empty string up to 200 characters. */
  id: string;
  /** The user's organisation (tenant), when the app has organisations. */
  orgId?: string | undefined;
  /** The user's roles, e.g. `['admin']`. */
  roles?: readonly string[] | undefined;
  /** Label shown in authenticator apps (e.g. the email). Defaults to `id`. */
  label?: string | undefined;
}

/** Where a request came from; recorded in events and used for per-IP limits. */
export interface RequestContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
  /**
   * Names the sign-in (or step-up) attempt a verification belongs to, the
   * same on every retry of it and different for every other one
   * (`@mfa-kit/express` uses a hash of the session id, which changes at every
   * change of authentication state). A code or TOTP step this attempt already
   * spent, presented again by it within 10 minutes (a pending sign-in's
   * default lifetime), is refused without being charged (`INVALID_CODE` with
   * `alreadyUsed`): a spend that timed out (`STORE_UNAVAILABLE`) and ran
   * later doesn't cost the user a failure. The code stays spent, so one code
   * completes an attempt at most once, parallel submissions included.
   * Absent: every replay is refused and charged.
   */
  attemptId?: string | undefined;
}

/** A confirmed TOTP factor as stored. */
export interface TotpFactor {
  /** The base32 secret, sealed by the key ring (never plaintext at rest). */
  sealedSecret: string;
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  periodInSeconds: number;
  /** Epoch milliseconds. */
  enrolledAt: number;
}

/** A confirmed SMS factor as stored. */
export interface SmsFactor {
  /** The E.164 number, sealed by the key ring. */
  sealedPhone: string;
  /** Display form, e.g. `+1 ••• ••• 1234`. */
  maskedPhone: string;
  /** Epoch milliseconds. */
  enrolledAt: number;
}

/**
 * A registered WebAuthn credential (passkey or security key) as stored.
 * Replay state belongs to it: `counter` is the last signature counter
 * accepted, checked and raised in the same atomic decision as the limiter.
 */
export interface WebAuthnCredential {
  /** The credential id (base64url), unique per user. */
  id: string;
  /** The COSE public key (base64url). Public: nothing here is secret. */
  publicKey: string;
  /** Last accepted signature counter (0 for authenticators that keep none, e.g. most passkeys). */
  counter: number;
  /** Transports the authenticator reported (`internal`, `usb`, `hybrid`, …), for the browser's hints. */
  transports: string[];
  /** The user's name for it, e.g. "YubiKey" (1–64 characters). */
  name: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last successful sign-in with it; null until then. */
  lastUsedAt: number | null;
  /** Whether the credential may be synced (backup eligible, WebAuthn BE flag). */
  backupEligible: boolean;
  /** Whether it was backed up (synced) at its last use (WebAuthn BS flag). */
  backedUp: boolean;
}

/**
 * A pending WebAuthn challenge, stored server-side with a TTL and bound to
 * the ceremony that asked for it (`binding`: the pending sign-in or the
 * enrolling session). Single-use: consumed by the decision that presents it.
 */
export interface WebAuthnChallenge {
  /** The challenge (base64url, ≥ 128 random bits). */
  challenge: string;
  purpose: 'sign-in' | 'register';
  /** Opaque id of the ceremony (e.g. a hash of the session id); a challenge presented under another binding is refused. */
  binding: string;
  /** Epoch ms (caller's clock). */
  expiresAt: number;
}

/**
 * A user's MFA record. A user without a record has no factors, epoch 0, and
 * has never declined or used a grace sign-in.
 */
export interface MfaRecord {
  userId: string;
  totp: TotpFactor | null;
  sms: SmsFactor | null;
  /** Registered WebAuthn credentials, oldest first (empty when none). */
  webauthn: WebAuthnCredential[];
  /** How many unused recovery codes the user has. */
  recoveryCodesRemaining: number;
  /**
   * Session epoch. Bumped when the user's MFA is reset or disabled; a session
   * that recorded an older epoch is revoked at its next request.
   */
  epoch: number;
  /** Sign-ins the user made without MFA inside a grace period. */
  graceSignInsUsed: number;
}

/** A pending SMS code (sign-in or phone enrolment), stored hashed with a TTL. */
export interface SmsChallenge {
  /** Keyed hash of the code; the code itself is never stored. */
  codeHash: string;
  purpose: 'sign-in' | 'setup';
  /** For `setup`: the sealed number being enrolled. For `sign-in`: the enrolled one. */
  sealedPhone: string;
  maskedPhone: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Counter families. Each family has its own failure budget and cooldown;
 * families with `countsTowardLock` share the user's consecutive-failure count
 * and account lock.
 */
export type LimitFamily = 'totp' | 'sms' | 'recovery' | 'webauthn' | 'password' | 'sms-setup';

/** Limits of one family. */
export interface FamilyLimits {
  /** Failures that start a cooldown. */
  maxFailures: number;
  /** Length of the first cooldown in milliseconds. */
  cooldownMs: number;
  /**
   * Each further cooldown in a row (no success in between) lasts
   * `cooldownMs * cooldownGrowthFactor^(n-1)`, capped at `maxCooldownMs`.
   * @default 1 (every cooldown is `cooldownMs`)
   */
  cooldownGrowthFactor?: number;
  /** Upper bound of a grown cooldown, ms. @default cooldownMs */
  maxCooldownMs?: number;
  /** Whether failures count toward the account lock. */
  countsTowardLock: boolean;
}

/** Account lock limits. */
export interface LockLimits {
  /** Consecutive failures (across cooldowns and lock-counting families) that lock the account. */
  maxConsecutiveFailures: number;
  /** `permanent`: only an admin/CLI/unlock link lifts it. `temporary`: it expires. */
  mode: 'permanent' | 'temporary';
  /** First temporary lock length, ms (temporary mode). */
  durationMs: number;
  /** Each further temporary lock lasts `durationMs * growthFactor^(locks-1)` (temporary mode). */
  growthFactor: number;
  /** Upper bound for a temporary lock, ms. */
  maxDurationMs: number;
}

/**
 * What the atomic decision checks, computed in Node before the store call so
 * the store never sees a code or a secret.
 */
export type AttemptCheck =
  /**
   * `step` is the matched time step, or null when the code matched no step in the window.
   * `enrolledAt` names the factor the step was matched against (a factor is identified by its
   * `enrolledAt`, as key rotation relies on): the step counts only if that factor is still the
   * user's, so a decision made against a secret that was reset and replaced meanwhile is a mismatch
   * for the new one. Core always passes it.
   */
  | { type: 'totp'; step: number | null; enrolledAt?: number }
  /** `hash` is the keyed hash of the normalised code, or null when the input was malformed. */
  | { type: 'recovery'; hash: string | null }
  /** `hash` is the keyed hash of the submitted code; compared with the pending challenge of that purpose. */
  | { type: 'sms'; hash: string | null; purpose: SmsChallenge['purpose'] }
  /**
   * A WebAuthn assertion, its signature already checked in Node (`verified`) against the stored
   * credential `credentialId` and the challenge the client signed. The store consumes the challenge
   * (live, purpose `sign-in`, same `binding`; else `missing`), then requires `verified` and the
   * credential (else `mismatch`) and a signature counter above the stored one unless both are 0
   * (else `counter`: a possible clone); on success it records `counter`, `backedUp` and
   * `lastUsedAt = now` on the credential.
   */
  | {
      type: 'webauthn';
      challenge: string | null;
      binding: string;
      credentialId: string | null;
      verified: boolean;
      counter: number;
      backedUp: boolean;
    }
  /** An outcome decided by the app (e.g. the password check). */
  | { type: 'outcome'; success: boolean };

/** Input of {@link MfaStore.attempt}. */
export interface AttemptInput {
  family: LimitFamily;
  check: AttemptCheck;
  limits: FamilyLimits;
  lock: LockLimits;
  /**
   * The attempt this decision belongs to (see {@link RequestContext.attemptId}): a spend made with
   * it is remembered for `windowMs`, and the same spend presented again by the same attempt within
   * that time is refused uncharged (`INVALID_CODE`, reason `retry`, not evaluated).
   */
  retry?: { attemptId: string; windowMs: number };
  /** Epoch milliseconds; from the injected clock. */
  now: number;
}

/**
 * Result of the atomic decision. `evaluated` is true when the check was run
 * and counted (success or failure); refusals because of an existing lock or
 * cooldown are not evaluated and change no counter.
 */
export type AttemptDecision =
  | { ok: true; evaluated: true }
  | {
      ok: false;
      code: 'INVALID_CODE';
      evaluated: true;
      /**
       * `mismatch`: wrong code (or WebAuthn signature/credential); `replay`: TOTP step already used;
       * `expired`/`missing`: no live SMS or WebAuthn challenge; `counter`: a WebAuthn signature counter
       * not above the stored one (a possible cloned authenticator).
       */
      reason: 'mismatch' | 'replay' | 'expired' | 'missing' | 'counter';
      /** Failures in this family since the last cooldown/success. */
      failures: number;
      /** Failures left before the cooldown starts. */
      remaining: number;
    }
  | {
      ok: false;
      code: 'INVALID_CODE';
      /** Nothing was charged or changed: the retry marker (`limiter/retry.ts`) recognised the attempt's own spend. */
      evaluated: false;
      /** `retry`: this attempt already spent this code (its earlier answer was lost). */
      reason: 'retry';
      failures: number;
      remaining: number;
    }
  | {
      ok: false;
      code: 'COOLDOWN';
      /** True when this attempt failed and started the cooldown. */
      evaluated: boolean;
      started: boolean;
      retryAfterMs: number;
    }
  | {
      ok: false;
      code: 'ACCOUNT_LOCKED';
      /** True when this attempt failed and locked the account. */
      evaluated: boolean;
      started: boolean;
      /** Epoch ms when a temporary lock ends; null for a permanent lock. */
      until: number | null;
      /** Id of the lock (unique per lock), used to record its ACCOUNT_LOCK event exactly once. */
      lockId: string;
      /** True while the lock's ACCOUNT_LOCK event has not been acknowledged as recorded. */
      eventPending: boolean;
    };

/** Limiter state of a user, for status screens and admins. */
export interface LimiterStatus {
  locked: boolean;
  /** Epoch ms when a temporary lock ends; null when permanent or not locked. */
  lockedUntil: number | null;
  lockReason: string | null;
  /** Id of the lock in force (unlock links are bound to it); null when not locked. */
  lockId: string | null;
  consecutiveFailures: number;
  /** Per family: failures since the last cooldown/success and the cooldown end (epoch ms) if active. */
  families: Partial<Record<LimitFamily, { failures: number; cooldownUntil: number | null }>>;
}

/** Per-organisation and per-role MFA policy. One document per mfa-kit instance. */
export interface MfaPolicy {
  /** Roles that must use MFA (e.g. `['admin']`). */
  requiredRoles: string[];
  /** Organisations where every user must use MFA. */
  requiredOrgs: string[];
  /**
   * Gradual rollout: `all` → MFA is available everywhere; otherwise only the
   * listed organisations see MFA at all (users elsewhere never see it). Users
   * without an organisation count as rolled out only in `all` mode.
   */
  rollout: { mode: 'all' } | { mode: 'orgs'; orgs: string[] };
  /**
   * Grace period for users who must use MFA but have not enrolled: up to
   * `signIns` more sign-ins without MFA and/or until `until` (epoch ms).
   * null → enrolment is forced at once.
   */
  grace: { signIns?: number | undefined; until?: number | undefined } | null;
  /** Whether a locked user may unlock themselves with an emailed link (seed 002). */
  allowSelfUnlock: boolean;
  /**
   * "Remember this device": users with one of `forbiddenRoles` may not trust
   * a device, and devices they trusted before are refused at sign-in.
   * @default { forbiddenRoles: [] }
   */
  trustedDevices?: { forbiddenRoles: string[] } | undefined;
  /**
   * Roles that must use a phishing-resistant factor (WebAuthn): they must
   * enrol one, and a TOTP, SMS or recovery-code sign-in no longer satisfies
   * `requireMfa()` for them (see `factorSatisfies`). Implies MFA required.
   * @default []
   */
  phishingResistantRoles?: string[] | undefined;
  /** Organisations whose users must use a phishing-resistant factor, as `phishingResistantRoles`. @default [] */
  phishingResistantOrgs?: string[] | undefined;
}

/**
 * A browser the user chose to trust after a second factor ("remember this
 * device"): a password sign-in from it skips the second factor while the
 * device is valid. The browser holds the token `<id>.<secret>`; the store
 * holds only `secretHash`, a keyed hash (HMAC with the instance's hash key)
 * of the secret, bound to the user and the id.
 */
export interface TrustedDevice {
  /** Public id (128 random bits, base64url): names the device in lists and revocations; not a secret. */
  id: string;
  userId: string;
  /** Keyed hash of the token's secret part; the token itself is never stored. */
  secretHash: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last sign-in that skipped the second factor with it (`createdAt` until then). */
  lastUsedAt: number;
  /** Epoch ms after which the device is no longer trusted. */
  expiresAt: number;
  /** The user's session epoch when it was trusted: any later bump (reset, lock, disable, sign out everywhere) ends the trust. */
  epoch: number;
  /** The second factor verified just before the device was trusted; a policy requiring a stronger one refuses it. */
  factor: FactorType;
  /** A short summary of the browser (from its user agent), for lists. */
  label: string;
}

/** Why MFA is or is not required for a user. */
export type Requirement =
  | { available: false; required: false; reason: 'not-rolled-out' }
  | { available: true; required: false; reason: 'optional' }
  | {
      available: true;
      required: true;
      reason: 'role' | 'organisation';
      graceRemaining: GraceRemaining | null;
      /** Present (true) when only a phishing-resistant factor (WebAuthn) satisfies the requirement. */
      phishingResistant?: true;
    };

/** What is left of a user's grace period; null fields are unbounded. */
export interface GraceRemaining {
  signIns: number | null;
  until: number | null;
}
