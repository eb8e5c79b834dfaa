import type {
  Actor,
  EventPage,
  EventQuery,
  MfaEvent,
  NewMfaEvent,
  SessionRevocationReason,
} from './events.js';
import type { MfaOptions } from './options.js';
import type { Clock, Random } from './ports/clock.js';
import type { UnlockDelivery } from './ports/unlock-delivery.js';
import type { WebAuthnVerifier } from './ports/webauthn-verifier.js';
import type {
  FactorType,
  FamilyLimits,
  LockLimits,
  GraceRemaining,
  LimiterStatus,
  MfaPolicy,
  MfaUser,
  RequestContext,
  Requirement,
  TotpAlgorithm,
  TotpFactor,
} from './types.js';

/** Outcome of verifying a second factor. Expected failures are values, not throws. */
export type VerifyResult =
  | {
      ok: true;
      factor: FactorType /** Unused recovery codes left (after this use, for `recovery`). */;
      recoveryCodesRemaining: number;
      /**
       * Only with `verify(…, { successEvent: 'started' })`: the append of the
       * success event, sent but not awaited. The sign-in is complete only once
       * it resolved; if it rejects (`STORE_UNAVAILABLE`) the caller must fail
       * the sign-in (the code stays spent), so an accepted decision's event is
       * never lost.
       */
      recorded?: Promise<void>;
    }
  | {
      ok: false;
      code: 'INVALID_CODE';
      /** Attempts left before the cooldown. */
      remaining: number;
      /**
       * This attempt (`RequestContext.attemptId`) already spent this code, but
       * its answer was lost (e.g. it timed out): refused, and not charged. The
       * user enters the next code.
       */
      alreadyUsed?: true;
    }
  | { ok: false; code: 'COOLDOWN'; retryAfterMs: number }
  | { ok: false; code: 'ACCOUNT_LOCKED' /** null: until an admin unlocks it. */; retryAfterMs: number | null }
  | { ok: false; code: 'NOT_ENROLLED' };

/**
 * What a challenge hands on to its code step so that `verify` needn't read
 * the record again (issue 13): the TOTP factor as stored, its secret still
 * sealed, and the recovery-code count at the password step. Keep it
 * server-side with the pending sign-in (the express layer keeps it in the
 * session, never in a response) and give it back as
 * `verify(user, 'totp', code, ctx, { carried })`.
 *
 * It decides nothing: the code is checked against this factor and goes to the
 * one atomic decision bound to the factor's `enrolledAt`, which refuses it if
 * that factor is no longer the user's (replaced, removed, store wiped): then
 * every code of this pending sign-in is refused and the user signs in again.
 * (mfa-kit replaces a factor only after removing it, which ends every session,
 * pending ones included.)
 */
export interface CarriedFactors {
  totp: TotpFactor | null;
  /** Unused recovery codes at the password step: what a TOTP success reports (not re-read). */
  recoveryCodesRemaining: number;
}

/** What the app does after the password step. */
export type SignInDecision =
  /** Log the user in now. `offerEnrolment`: MFA is available but optional and not set up (seed 000: enrol or decline for now). */
  | {
      next: 'login';
      reason: 'not-rolled-out' | 'optional' | 'grace';
      offerEnrolment: boolean;
      graceRemaining: GraceRemaining | null;
      epoch: number;
    }
  /**
   * Log the user in now: the browser presented a valid trust token
   * ("remember this device"), so the second factor it proved when it was
   * trusted stands in for a new one (recorded as TRUSTED_DEVICE_USED).
   */
  | {
      next: 'login';
      reason: 'trusted-device';
      offerEnrolment: false;
      graceRemaining: null;
      epoch: number;
      trustedDevice: { id: string; factor: FactorType };
    }
  /**
   * Ask for a second factor; `factors` are the ones the user has that satisfy the policy (only
   * `webauthn` when it requires a phishing-resistant factor and the user has one). A user who must
   * use one but has none yet is challenged with the factors they have: that sign-in does not satisfy
   * `requireMfa()`, which sends them to register a passkey with the fresh proof it just gave.
   * `carried` goes with the pending sign-in to `verify`.
   */
  | {
      next: 'challenge';
      factors: FactorType[];
      maskedPhone: string | null;
      epoch: number;
      carried: CarriedFactors;
    }
  /** MFA required and not set up: the user can do nothing but enrol. */
  | { next: 'enrol'; reason: 'role' | 'organisation'; epoch: number }
  /** The account is locked (or cooling down): refuse the sign-in. */
  | { next: 'refused'; code: 'ACCOUNT_LOCKED' | 'COOLDOWN'; retryAfterMs: number | null };

/** A started TOTP enrolment; keep `sealedSecret` server-side (e.g. in the session) until it is confirmed. */
export interface TotpEnrolment {
  /** Base32 secret, to show as text for manual entry. */
  secret: string;
  /** The secret encrypted by the key ring. */
  sealedSecret: string;
  /** `otpauth://totp/...` URI for the QR code. */
  uri: string;
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  periodInSeconds: number;
}

/** Outcome of confirming an enrolment. Recovery codes appear here once, when a new set was created. */
export type EnrolResult =
  | { ok: true; factor: 'totp' | 'sms'; recoveryCodes: string[] | null }
  | Exclude<VerifyResult, { ok: true }>;

/** Outcome of sending an SMS code. Provider failures are values too, so the route can show them. */
export type SmsSendResult =
  | { ok: true; maskedPhone: string /** When the user may ask for another code. */; resendAfterMs: number }
  | { ok: false; code: 'RATE_LIMITED' | 'COOLDOWN'; retryAfterMs: number }
  | { ok: false; code: 'ACCOUNT_LOCKED'; retryAfterMs: number | null }
  | { ok: false; code: 'NOT_ENROLLED' }
  | { ok: false; code: 'VALIDATION'; message: string }
  | {
      ok: false;
      code: 'SMS_FAILURE' | 'PROVIDER_FAILURE';
      providerCode: string | number | null;
      message: string;
      hint: string | null;
    };

/** A WebAuthn credential as users, admins and the CLI see it (no public key, no counter). */
export interface WebAuthnCredentialInfo {
  /** Credential id (base64url); public. */
  id: string;
  name: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last sign-in with it; null until then. */
  lastUsedAt: number | null;
  transports: string[];
  /** Whether it may be synced between devices (a synced passkey). */
  backupEligible: boolean;
  /** Whether it was synced at its last use. */
  backedUp: boolean;
}

/**
 * Outcome of finishing a WebAuthn registration: INVALID_CODE when the response
 * is malformed (`malformed`), fails verification (`verification`) or names no
 * live registration challenge of this session (`challenge`: used, expired or
 * another session's); ALREADY_ENROLLED when the credential is registered
 * already; VALIDATION when the user has the maximum number of credentials.
 */
export type WebAuthnRegistrationResult =
  | { ok: true; credential: WebAuthnCredentialInfo }
  | { ok: false; code: 'INVALID_CODE'; reason: 'malformed' | 'verification' | 'challenge' }
  | { ok: false; code: 'ALREADY_ENROLLED' }
  | { ok: false; code: 'VALIDATION'; reason: 'limit' };

/** A user's MFA state, for the self-service status route and admin screens. */
export interface UserMfaStatus {
  userId: string;
  /** True when at least one factor (TOTP, SMS or a WebAuthn credential) is set up. */
  enrolled: boolean;
  totp: { enrolledAt: number } | null;
  sms: { maskedPhone: string; enrolledAt: number } | null;
  /** Registered WebAuthn credentials (passkeys, security keys), oldest first. */
  webauthn: WebAuthnCredentialInfo[];
  recoveryCodesRemaining: number;
  requirement: Requirement;
  limiter: LimiterStatus;
  epoch: number;
  /** True when the store holds a record for this user (enrolled now, or before a reset). */
  known: boolean;
}

/** One mfa-kit instance. Build it with {@link createMfa}; no globals, no singletons. */
export interface Mfa {
  /** The options after defaults were filled in. */
  readonly options: ResolvedMfaOptions;

  /** Whether MFA is available and required for this user, and why (reads the current policy). */
  requirement(user: MfaUser): Promise<Requirement>;
  /** The user's MFA state. */
  status(user: MfaUser): Promise<UserMfaStatus>;
  /**
   * Call after the app's password step succeeded: decides login / challenge /
   * forced enrolment / refusal from policy, enrolment and lock state. Counts a
   * grace sign-in when it lets a user through on grace.
   */
  startSignIn(
    user: MfaUser,
    ctx: RequestContext,
    input?: {
      /**
       * The browser's trust token (e.g. its cookie), as presented: anything
       * malformed or not this user's is refused like no token, with
       * TRUSTED_DEVICE_REFUSED recorded; the answer never tells why.
       */
      trustedDeviceToken?: unknown;
    },
  ): Promise<SignInDecision>;
  /**
   * Verifies a second factor with the limiter, in one atomic store decision. `code` may be anything (bad
   * input → INVALID_CODE). `input.carried`: the challenge's {@link CarriedFactors}, which spares a TOTP
   * code the record read (one command and the deployment-marker check fewer). `input.successEvent`:
   * `'started'` answers a TOTP or SMS success as soon as the decision accepted it, with the append of
   * its event sent and handed over as `recorded`, which the caller awaits beside its own writes (the
   * express layer: beside the new session's save, one round trip fewer) and fails the sign-in on if it
   * rejects. @default 'awaited' (the event is recorded before `verify` resolves)
   */
  verify(
    user: MfaUser,
    factor: FactorType,
    code: unknown,
    ctx: RequestContext,
    input?: { carried?: CarriedFactors; successEvent?: 'awaited' | 'started' },
  ): Promise<VerifyResult>;
  /** Records that the user declined optional enrolment for now. */
  declineEnrolment(user: MfaUser, ctx: RequestContext): Promise<void>;
  /**
   * Turns MFA off for the user (self-service). Refused with POLICY_FORBIDS when
   * policy requires MFA. `proof` is a current TOTP/SMS code, an unused
   * recovery code, or a passkey assertion made for `webauthn.stepUpOptions`
   * under the same `binding`; revokes all sessions.
   */
  disable(
    user: MfaUser,
    proof: { factor: FactorType; code: unknown } | { factor: 'webauthn'; response: unknown; binding: string },
    ctx: RequestContext,
  ): Promise<VerifyResult | { ok: false; code: 'POLICY_FORBIDS' }>;

  totp: {
    /** Creates a new secret (not stored until confirmed). */
    beginEnrolment(user: MfaUser): Promise<TotpEnrolment>;
    /** Checks `code` against `sealedSecret`, stores the factor; the step used is burnt (no replay at sign-in). */
    confirmEnrolment(
      user: MfaUser,
      sealedSecret: string,
      code: unknown,
      ctx: RequestContext,
    ): Promise<EnrolResult>;
  };
  /**
   * WebAuthn (passkeys and security keys) as a second factor; every method
   * throws CONFIGURATION unless `webauthn: { verifier }` was given. Each
   * challenge is stored server-side, single-use, short-lived and bound to
   * `binding`, an opaque id of the ceremony (the session id in
   * `@mfa-kit/express`; stored only as a keyed hash).
   */
  webauthn: {
    /**
     * Registration options (`navigator.credentials.create()`) with a new
     * challenge bound to `binding`. The caller checks fresh proof first.
     * VALIDATION when the user has the maximum number of credentials.
     */
    registrationOptions(user: MfaUser, input: { binding: string }): Promise<Record<string, unknown>>;
    /**
     * Verifies the registration response and stores the credential, spending
     * its challenge in the same atomic step. `name` (1–64 characters) defaults
     * to "Passkey". Records WEBAUTHN_CREDENTIAL_ADDED.
     */
    verifyRegistration(
      user: MfaUser,
      input: { response: unknown; binding: string; name?: unknown },
      ctx: RequestContext,
    ): Promise<WebAuthnRegistrationResult>;
    /** Sign-in options (`navigator.credentials.get()`) with a new challenge bound to `binding`. */
    signInOptions(
      user: MfaUser,
      input: { binding: string },
    ): Promise<{ ok: true; options: Record<string, unknown> } | { ok: false; code: 'NOT_ENROLLED' }>;
    /**
     * Verifies an assertion: the challenge it signed must be live and bound to
     * `binding` and is spent, the signature counter must grow (a regression is
     * refused and recorded as WEBAUTHN_COUNTER_REGRESSION), all in the one
     * atomic limiter decision of the `webauthn` family.
     */
    verifySignIn(
      user: MfaUser,
      input: { response: unknown; binding: string },
      ctx: RequestContext,
    ): Promise<VerifyResult>;
    /**
     * Step-up options (`navigator.credentials.get()`) for a signed-in session:
     * like `signInOptions`, with a challenge of the step-up ceremony bound to
     * `binding` (the session id in `@mfa-kit/express`). A sign-in's challenge
     * never verifies a step-up and a step-up's never a sign-in.
     */
    stepUpOptions(
      user: MfaUser,
      input: { binding: string },
    ): Promise<{ ok: true; options: Record<string, unknown> } | { ok: false; code: 'NOT_ENROLLED' }>;
    /**
     * Verifies a step-up assertion exactly as `verifySignIn` does (challenge
     * live, of the step-up ceremony, bound to `binding`, spent; counter; the
     * one limiter decision of the `webauthn` family). The caller records the
     * fresh proof.
     */
    verifyStepUp(
      user: MfaUser,
      input: { response: unknown; binding: string },
      ctx: RequestContext,
    ): Promise<VerifyResult>;
    /** The user's credentials, oldest first. */
    list(user: MfaUser): Promise<WebAuthnCredentialInfo[]>;
    /** Renames one (1–64 characters, else VALIDATION); resolves whether it existed. */
    rename(user: MfaUser, credentialId: string, name: unknown): Promise<boolean>;
    /**
     * Removes one and bumps the epoch in the same atomic step (every session of
     * the user ends; the caller moves its own session to the returned epoch).
     * The caller checks fresh proof first. Resolves null when there was none
     * with that id. Records WEBAUTHN_CREDENTIAL_REMOVED.
     */
    remove(
      actor: Actor,
      user: MfaUser,
      credentialId: string,
      ctx?: RequestContext,
    ): Promise<{ epoch: number } | null>;
  };
  recovery: {
    /** Replaces the user's set with a new one and returns the codes (shown once). The caller checks a fresh second factor first. */
    regenerate(user: MfaUser, ctx: RequestContext): Promise<string[]>;
  };
  sms: {
    /** Validates the E.164 number and sends a setup code (setup cooldown and send limits apply). */
    beginEnrolment(user: MfaUser, phone: unknown, ctx: RequestContext): Promise<SmsSendResult>;
    /** Confirms the setup code and stores the SMS factor (failures count toward the 1-hour setup cooldown). */
    confirmEnrolment(user: MfaUser, code: unknown, ctx: RequestContext): Promise<EnrolResult>;
    /** Sends (or resends) a sign-in code to the enrolled number; resend cooldown and send limits apply. */
    sendSignInCode(user: MfaUser, ctx: RequestContext): Promise<SmsSendResult>;
    /** "It's not my phone number": records NOT_MY_NUMBER and stops sending to that number (removes the SMS factor). */
    notMyNumber(user: MfaUser, ctx: RequestContext): Promise<void>;
  };
  password: {
    /**
     * Reports the app's password check in one atomic limiter decision: a wrong password counts toward
     * the user's growing password cooldowns; a correct one is refused while the user is locked or
     * cooling down, and otherwise clears the password failures (never the second-factor lock count).
     */
    report(user: MfaUser, success: boolean, ctx: RequestContext): Promise<PasswordReport>;
    /**
     * The app's password check passed: reports it as `report(user, true, ctx)` does and decides what
     * comes next as `startSignIn` does (a locked or cooling-down user is `refused`), with the
     * policy and enrolment read beside the report, so both cost one round trip. Counts a grace
     * sign-in when it lets a user through on grace.
     */
    signIn(
      user: MfaUser,
      ctx: RequestContext,
      input?: {
        /** The browser's trust token, as `startSignIn` takes it. */
        trustedDeviceToken?: unknown;
      },
    ): Promise<SignInDecision>;
    /**
     * Reports a sign-in attempt for a username that matched no user. It is counted exactly like a
     * wrong password of a known user (under a keyed hash of the normalised username, forgotten like
     * any limiter state), so the answers (INVALID_CODE, then COOLDOWN with the same `retryAfterMs`)
     * can't tell which usernames exist. Normalisation: NFKC, trimmed, lower case.
     */
    reportUnknownUser(username: unknown, ctx: RequestContext): Promise<PasswordReport>;
  };
  admin: {
    /**
     * Removes every factor and recovery code and bumps the session epoch in
     * one atomic step (every session of the user ends). Refused (FORBIDDEN)
     * for an admin acting on themselves.
     */
    reset(actor: Actor, user: MfaUser, input?: { reason?: string }): Promise<void>;
    /**
     * Locks the account and bumps the session epoch in one atomic step (every
     * session of the user ends). Refused (FORBIDDEN) for an admin acting on themselves.
     */
    lock(actor: Actor, user: MfaUser, input?: { reason?: string }): Promise<void>;
    /**
     * Lifts the lock and clears every failure counter and cooldown. Refused
     * (FORBIDDEN) for an admin acting on themselves, and for a `cli` actor
     * lifting a lock an admin placed unless `breakGlass` (audited).
     */
    unlock(actor: Actor, user: MfaUser, input?: { reason?: string; breakGlass?: boolean }): Promise<void>;
    /** Clears the verification cooldowns, the SMS setup cooldown, or both. */
    resetCooldowns(
      actor: Actor,
      user: MfaUser,
      input: { which: 'verification' | 'sms-setup' | 'all'; reason?: string },
    ): Promise<void>;
    /**
     * Gives a client address its whole second-factor budget back (the same key derivation as the
     * budget: IPv6 by prefix, or the app's `addressBudget.key` applied to `{ ip: address }`).
     * Records ADMIN_ADDRESS_CLEARED. Returns the budget key that was cleared.
     */
    clearAddress(actor: Actor, address: string, input?: { reason?: string }): Promise<{ address: string }>;
    getPolicy(): Promise<MfaPolicy>;
    /**
     * The policy as stored now (never cached) with its version, for an editor
     * that shows it and later writes a whole new one: pass the version as
     * `expectedVersion` to {@link Mfa.admin.updatePolicy} so a save from a
     * stale view is refused instead of undoing a change made meanwhile.
     */
    getVersionedPolicy(): Promise<{ policy: MfaPolicy; version: string }>;
    /** Validates and stores the policy; records POLICY_CHANGED (with the policy it replaced). */
    setPolicy(actor: Actor, policy: MfaPolicy, input?: { reason?: string }): Promise<MfaPolicy>;
    /**
     * Edits the policy from the one stored now: `change` gets the current
     * policy and returns the new one, which is validated and written only if
     * nothing else was written meanwhile (compare-and-set); otherwise
     * `change` runs again on the newer policy. So an edit computed from a
     * policy (an organisation admin toggling their organisation) never undoes
     * a concurrent edit by someone else. `change` may throw (e.g. FORBIDDEN)
     * to refuse. Records POLICY_CHANGED with the policy it replaced.
     * Rejects with CONFLICT when other writes won 10 times in a row, and at
     * once when `expectedVersion` (from {@link Mfa.admin.getVersionedPolicy})
     * is given and the policy is no longer at it: the caller's view is stale.
     */
    updatePolicy(
      actor: Actor,
      change: (current: MfaPolicy) => MfaPolicy,
      input?: { reason?: string; expectedVersion?: string },
    ): Promise<MfaPolicy>;
  };
  unlock: {
    /**
     * A locked user asks for unlock instructions. Always resolves the same way
     * (never reveals whether the user exists or is locked); delivers a signed,
     * single-use token only when self-unlock is allowed and the user is locked.
     * Pass null when the app found no user for the identifier, or pass the
     * lookup itself: it then runs only after the per-IP limit
     * (`unlock.requestsPerIpPerHour`) allowed the request, so spraying
     * identifiers cannot make the app look up users without bound.
     */
    request(user: MfaUser | null | (() => Promise<MfaUser | null>), ctx: RequestContext): Promise<void>;
    /** Unlocks once per token. */
    redeem(
      token: unknown,
      ctx: RequestContext,
    ): Promise<{ ok: true; userId: string } | { ok: false; code: 'INVALID_TOKEN' }>;
  };
  /**
   * The session generation (epoch) of each user: every session records the
   * epoch it was issued under and is valid only while it is still the
   * user's current one (`@mfa-kit/express` checks it on every session load).
   */
  sessions: {
    /** The user's current epoch (one store read; 0 for a user mfa-kit never saw). */
    epoch(userId: string): Promise<number>;
    /**
     * Ends every session of the user by bumping the epoch ("sign out
     * everywhere", a password change, an admin), then deletes the sessions the
     * `sessionRevoker` knows of and records SESSIONS_REVOKED. Returns the new
     * epoch, for the caller's own new session.
     */
    revokeAll(
      user: MfaUser,
      input: { reason: SessionRevocationReason; actor?: Actor },
      ctx?: RequestContext,
    ): Promise<number>;
  };
  /**
   * "Remember this device": after a verified second factor the user may
   * trust the browser for `trustedDevices.ttlMs` (30 days by default); a
   * password sign-in presenting its token then skips the second factor (see
   * {@link Mfa.startSignIn}) until it expires, is revoked, or the user's epoch
   * moves (reset, lock, disable, "sign out everywhere"), or the policy
   * forbids it for the user's role or requires a factor it did not prove.
   */
  trustedDevices: {
    /**
     * Trusts this browser. Call it only right after `factor` was verified in
     * a session issued under `epoch`. Returns the token for the browser (an
     * HttpOnly cookie); the store keeps only its keyed hash. Refused with
     * POLICY_FORBIDS for a role the policy forbids it and after a recovery
     * code (a single-use fallback never earns 30 days), SESSION_EXPIRED when
     * `epoch` is no longer the user's. Records TRUSTED_DEVICE_ADDED.
     */
    trust(
      user: MfaUser,
      input: { factor: FactorType; epoch: number },
      ctx?: RequestContext,
    ): Promise<
      | { ok: true; token: string; device: TrustedDeviceInfo }
      | { ok: false; code: 'POLICY_FORBIDS' | 'SESSION_EXPIRED' }
    >;
    /** The user's devices that are still trusted (not expired, same epoch), most recently used first. */
    list(user: MfaUser): Promise<TrustedDeviceInfo[]>;
    /**
     * Revokes one device (the user themself with actor `{ kind: 'user' }`, or
     * an admin). Resolves whether it existed; records TRUSTED_DEVICE_REVOKED
     * when it did. A malformed `deviceId` is VALIDATION.
     */
    revoke(
      actor: Actor,
      user: MfaUser,
      deviceId: string,
      input?: { reason?: string },
      ctx?: RequestContext,
    ): Promise<boolean>;
  };
  events: {
    query(query: EventQuery): Promise<EventPage>;
    /** Records an app-level event (e.g. SESSION_EXPIRED from the express layer). */
    record(event: NewMfaEvent): Promise<MfaEvent>;
    /** Calls `listener` for every event this instance records. Returns the unsubscribe function. */
    subscribe(listener: (event: MfaEvent) => void): () => void;
  };
  maintenance: {
    /**
     * Key rotation: re-seals the user's TOTP secret and phone number under the
     * current key id when they were sealed under an older one, so the old key
     * can be retired. Run it over every user id after adding a new current key.
     * Skips the write when the record changed meanwhile (epoch moved).
     */
    reencrypt(userId: string): Promise<ReencryptResult>;
    /**
     * Key rotation over every user: pages through `MfaStore.listUserIds` and
     * runs {@link Mfa.maintenance.reencrypt} for each. A user whose ciphertext
     * doesn't open (its key id is not in the ring, or it was tampered with) is
     * counted as failed and the run goes on; a store failure rejects with
     * `STORE_UNAVAILABLE` (safe to run again: users already re-sealed are
     * skipped). Retire the old key only once a run reports `failed: 0`, and
     * after pending SMS codes sealed under it have expired (minutes).
     */
    reencryptAll(options?: ReencryptAllOptions): Promise<ReencryptAllResult>;
    /**
     * Migration from passport-totp or a hand-rolled otplib set-up: stores a
     * secret the app already holds as the user's TOTP factor, sealed by the
     * key ring, with its old algorithm, digits and period, so users keep
     * their authenticator entry and enter no code. The current step counts
     * as used (no replay of a code the old system just accepted). Refused
     * with ALREADY_ENROLLED when the user has TOTP; bad input is VALIDATION.
     * Records ENROLLED (`imported: true`) with the actor.
     */
    importTotpSecret(
      actor: Actor,
      user: MfaUser,
      input: ImportTotpSecretInput,
    ): Promise<ImportTotpSecretResult>;
  };
}

/** Input of {@link Mfa.maintenance.importTotpSecret}. */
export interface ImportTotpSecretInput {
  /**
   * The shared key: base32 text (otplib, `otpauth://` URIs; case, spaces and
   * `=` padding ignored) or the raw key bytes (passport-totp keeps the key
   * itself, e.g. `Buffer.from(user.totpKey, 'utf8')`).
   */
  secret: string | Uint8Array;
  /** @default the kit's `totp.algorithm` ('SHA1', what otplib and passport-totp use) */
  algorithm?: TotpAlgorithm;
  /** @default the kit's `totp.digits` (6) */
  digits?: 6 | 8;
  /** @default the kit's `totp.periodInSeconds` (30) */
  periodInSeconds?: number;
  /**
   * Accept 10–15-byte secrets (80-bit keys from otplib 12's
   * `authenticator.generateSecret()` or passport-totp's examples), below
   * RFC 4226 §4's 128-bit minimum. Ask those users to set up again later.
   * @default false
   */
  allowShortSecret?: boolean;
}

/** Result of {@link Mfa.maintenance.importTotpSecret}. */
export interface ImportTotpSecretResult {
  imported: true;
  /** The TOTP step stored as already used: the import's step + `totp.window` (codes of it and earlier steps are refused). */
  usedStep: number;
}

/** A trusted device as users and admins see it (never the token or its hash). */
export interface TrustedDeviceInfo {
  /** Public id, for revocation. */
  id: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last sign-in it skipped the second factor for (`createdAt` until then). */
  lastUsedAt: number;
  /** Epoch ms when the trust ends. */
  expiresAt: number;
  /** The factor verified when the device was trusted. */
  factor: FactorType;
  /** e.g. "Chrome on Linux". */
  label: string;
}

/** Counts of a {@link Mfa.maintenance.reencryptAll} run so far. */
export interface ReencryptProgress {
  /** Users visited (each user with a record). */
  scanned: number;
  /** Users of whom at least one value was re-sealed under the current key. */
  resealed: number;
  /** Users whose sealed values could not be opened with the configured keys. */
  failed: number;
}

/** Options of {@link Mfa.maintenance.reencryptAll}. */
export interface ReencryptAllOptions {
  /** Called after every batch with the running totals (e.g. to print progress). */
  onProgress?: (progress: ReencryptProgress) => void;
  /** Users listed and re-sealed per batch (1–1000). @default 100 */
  batchSize?: number;
}

/** Totals of a {@link Mfa.maintenance.reencryptAll} run. */
export interface ReencryptAllResult extends ReencryptProgress {
  /** Ids of the first 100 failed users (`failed` counts them all), to look into with `status`. */
  failedUserIds: string[];
}

/** Which sealed values {@link Mfa.maintenance.reencrypt} rewrote. */
export interface ReencryptResult {
  totp: boolean;
  sms: boolean;
}

/** Result of {@link Mfa.password.report}. */
export type PasswordReport =
  | { ok: true }
  | { ok: false; code: 'INVALID_CODE'; remaining: number }
  | { ok: false; code: 'COOLDOWN'; retryAfterMs: number }
  | { ok: false; code: 'ACCOUNT_LOCKED'; retryAfterMs: number | null };

/** {@link MfaOptions} with every default filled in (see `defaults.ts`). Frozen. */
export type ResolvedMfaOptions = Readonly<
  Omit<
    MfaOptions,
    | 'totp'
    | 'recoveryCodes'
    | 'limits'
    | 'sms'
    | 'policy'
    | 'unlock'
    | 'trustedDevices'
    | 'webauthn'
    | 'clock'
    | 'random'
  > & {
    totp: Readonly<Required<NonNullable<MfaOptions['totp']>>>;
    recoveryCodes: Readonly<{ count: number }>;
    limits: Readonly<{
      totp: FamilyLimits;
      sms: FamilyLimits;
      recovery: FamilyLimits;
      webauthn: FamilyLimits;
      password: FamilyLimits;
      smsSetup: FamilyLimits;
      lock: LockLimits;
      addressBudget: Readonly<{
        maxFailures: number;
        windowMs: number;
        ipv6PrefixLength: number;
        key: (ctx: RequestContext) => string | null;
      }>;
    }>;
    sms: Readonly<
      Required<
        Omit<NonNullable<MfaOptions['sms']>, 'sender' | 'verifier' | 'originDomain' | 'allowedCountryCodes'>
      > &
        Pick<NonNullable<MfaOptions['sms']>, 'sender' | 'verifier' | 'originDomain' | 'allowedCountryCodes'>
    >;
    /** The default policy (used until an admin saves one). */
    policy: MfaPolicy;
    unlock: Readonly<{
      delivery?: UnlockDelivery | undefined;
      tokenTtlMs: number;
      requestsPerHour: number;
      requestsPerIpPerHour: number;
    }>;
    trustedDevices: Readonly<{ ttlMs: number; maxPerUser: number }>;
    /** Absent when WebAuthn is not configured. */
    webauthn:
      | Readonly<{ verifier: WebAuthnVerifier; challengeTtlMs: number; maxCredentials: number }>
      | undefined;
    clock: Clock;
    random: Random;
  }
>;
