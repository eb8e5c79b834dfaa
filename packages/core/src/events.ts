import type { FactorType, LimitFamily, MfaPolicy } from './types.js';

/** Stable event type names (the MFA error log and audit trail). */
export const EventType = {
  ACCOUNT_LOCK: 'ACCOUNT_LOCK',
  COOLDOWN_ACTIVATED: 'COOLDOWN_ACTIVATED',
  PROVIDER_FAILURE: 'PROVIDER_FAILURE',
  SMS_FAILURE: 'SMS_FAILURE',
  NOT_MY_NUMBER: 'NOT_MY_NUMBER',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  VERIFICATION_FAILED: 'VERIFICATION_FAILED',
  VERIFICATION_SUCCEEDED: 'VERIFICATION_SUCCEEDED',
  PASSWORD_FAILED: 'PASSWORD_FAILED',
  RECOVERY_CODE_USED: 'RECOVERY_CODE_USED',
  RECOVERY_CODES_REGENERATED: 'RECOVERY_CODES_REGENERATED',
  ENROLLED: 'ENROLLED',
  DISABLED: 'DISABLED',
  ENROLMENT_DECLINED: 'ENROLMENT_DECLINED',
  SMS_SENT: 'SMS_SENT',
  UNLOCK_REQUESTED: 'UNLOCK_REQUESTED',
  SELF_UNLOCKED: 'SELF_UNLOCKED',
  ADMIN_RESET: 'ADMIN_RESET',
  ADMIN_LOCK: 'ADMIN_LOCK',
  ADMIN_UNLOCK: 'ADMIN_UNLOCK',
  ADMIN_COOLDOWN_RESET: 'ADMIN_COOLDOWN_RESET',
  IP_BLOCKED: 'IP_BLOCKED',
  ADMIN_ADDRESS_CLEARED: 'ADMIN_ADDRESS_CLEARED',
  POLICY_CHANGED: 'POLICY_CHANGED',
  ROLE_CHANGED: 'ROLE_CHANGED',
  SESSIONS_REVOKED: 'SESSIONS_REVOKED',
  STORE_RESET_ACKNOWLEDGED: 'STORE_RESET_ACKNOWLEDGED',
  TRUSTED_DEVICE_ADDED: 'TRUSTED_DEVICE_ADDED',
  TRUSTED_DEVICE_USED: 'TRUSTED_DEVICE_USED',
  TRUSTED_DEVICE_REFUSED: 'TRUSTED_DEVICE_REFUSED',
  TRUSTED_DEVICE_REVOKED: 'TRUSTED_DEVICE_REVOKED',
  WEBAUTHN_CREDENTIAL_ADDED: 'WEBAUTHN_CREDENTIAL_ADDED',
  WEBAUTHN_CREDENTIAL_REMOVED: 'WEBAUTHN_CREDENTIAL_REMOVED',
  WEBAUTHN_COUNTER_REGRESSION: 'WEBAUTHN_COUNTER_REGRESSION',
} as const;

/** A stable event type name. */
export type EventType = keyof typeof EventType;

/**
 * The audit trail: admin actions and account locks/unlocks. Logs keep these
 * apart from the events anyone can trigger (wrong codes, SMS sends): they are
 * retained by age, never evicted by count, so a flood of failures cannot push
 * the record of who reset, locked or unlocked whom out of the log.
 */
export const AUDIT_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'ACCOUNT_LOCK',
  'SELF_UNLOCKED',
  'ADMIN_RESET',
  'ADMIN_LOCK',
  'ADMIN_UNLOCK',
  'ADMIN_COOLDOWN_RESET',
  'ADMIN_ADDRESS_CLEARED',
  'POLICY_CHANGED',
  'ROLE_CHANGED',
  'STORE_RESET_ACKNOWLEDGED',
  'TRUSTED_DEVICE_REVOKED',
]);

/** True when events of `type` belong to the audit trail (see {@link AUDIT_EVENT_TYPES}). */
export function isAuditEvent(type: EventType): boolean {
  return AUDIT_EVENT_TYPES.has(type);
}

/** Default retention of audit events, ms (400 days: a year of history plus time for an annual review). */
export const DEFAULT_AUDIT_RETENTION_MS = 400 * 24 * 60 * 60 * 1000;

/** Who performed an admin action. `cli` actors carry the operating-system user. */
export interface Actor {
  kind: 'admin' | 'cli' | 'user' | 'system';
  id: string;
  /** For `cli`: the operating-system user that ran the command. */
  osUser?: string | undefined;
}

/** Details of each event type. No codes, secrets or full phone numbers, ever. */
export interface EventDetails {
  /** `not-my-number`: the user's only factor was an SMS number they disowned (seed 004), so an admin must check them. */
  ACCOUNT_LOCK: {
    lockId: string;
    reason: 'failures' | 'admin' | 'not-my-number';
    until: number | null;
    family?: LimitFamily;
  };
  COOLDOWN_ACTIVATED: { family: LimitFamily; until: number };
  PROVIDER_FAILURE: {
    provider: string;
    providerCode: string | number | null;
    maskedPhone?: string;
    message: string;
  };
  SMS_FAILURE: {
    provider: string;
    providerCode: string | number | null;
    maskedPhone?: string;
    message: string;
  };
  NOT_MY_NUMBER: { maskedPhone: string };
  SESSION_EXPIRED: { stage: 'challenge' | 'enrolment' };
  VERIFICATION_FAILED: {
    factor: FactorType;
    /** `counter`: a WebAuthn signature counter that did not grow (also recorded as WEBAUTHN_COUNTER_REGRESSION). */
    reason: 'mismatch' | 'replay' | 'expired' | 'missing' | 'malformed' | 'counter';
  };
  VERIFICATION_SUCCEEDED: { factor: FactorType };
  /** `userId` null: the username matched no user (counted all the same, see the core README). */
  PASSWORD_FAILED: Record<string, never>;
  RECOVERY_CODE_USED: { remaining: number };
  RECOVERY_CODES_REGENERATED: { count: number };
  /** `imported`: set by `maintenance.importTotpSecret` (a migrated secret, no code entered). */
  ENROLLED: { factor: 'totp' | 'sms'; maskedPhone?: string; imported?: true };
  DISABLED: { factors: FactorType[] };
  ENROLMENT_DECLINED: Record<string, never>;
  SMS_SENT: { maskedPhone: string; purpose: 'sign-in' | 'setup' };
  UNLOCK_REQUESTED: Record<string, never>;
  SELF_UNLOCKED: Record<string, never>;
  ADMIN_RESET: { reason?: string };
  ADMIN_LOCK: { reason?: string };
  /** `breakGlass`: the CLI lifted a lock an admin placed (its explicit, audited path). */
  ADMIN_UNLOCK: { reason?: string; breakGlass?: boolean };
  /** Every session of the user ended ("sign out everywhere", password change, an admin). */
  SESSIONS_REVOKED: { reason: SessionRevocationReason };
  ADMIN_COOLDOWN_RESET: { which: 'verification' | 'sms-setup' | 'all'; reason?: string };
  /**
   * An address used up its second-factor failure budget: no more second-factor
   * evaluations from it until the oldest failure leaves the sliding window.
   * `address` is the budget key (an IPv6 address as its prefix, e.g. `2001:db8:0:0:0:0:0:0/64`).
   */
  IP_BLOCKED: { address: string; limit: number; windowMs: number };
  /** An admin gave an address its whole second-factor budget back. */
  ADMIN_ADDRESS_CLEARED: { address: string; reason?: string };
  POLICY_CHANGED: { before: MfaPolicy; after: MfaPolicy; reason?: string };
  /** The app changed the user's roles through the admin router (seed 003); MFA requirement follows at once. */
  ROLE_CHANGED: { before: string[]; after: string[]; reason?: string };
  /**
   * An operator accepted that the store lost its data (`mfa-kit store
   * acknowledge-reset`): service resumed with every factor, lock and policy
   * gone. `marker` is the new deployment marker. The first entry of the new
   * audit trail, since the old one was lost with the rest.
   */
  STORE_RESET_ACKNOWLEDGED: { marker: string };
  /** The user trusted a browser after verifying `factor` ("remember this device"). */
  TRUSTED_DEVICE_ADDED: { deviceId: string; factor: FactorType; label: string; expiresAt: number };
  /** A password sign-in skipped the second factor because the browser is trusted. */
  TRUSTED_DEVICE_USED: { deviceId: string; factor: FactorType };
  /**
   * A browser presented a trust token that did not skip the second factor
   * (the user was challenged as usual). `deviceId` is null when the token named
   * no device of this user.
   */
  TRUSTED_DEVICE_REFUSED: { deviceId: string | null; reason: TrustedDeviceRefusal };
  /** The user (actor `user`) or an admin revoked a trusted device. */
  TRUSTED_DEVICE_REVOKED: { deviceId: string; reason?: string };
  /** The user registered a WebAuthn credential (passkey or security key); `credentialId` is public. */
  WEBAUTHN_CREDENTIAL_ADDED: { credentialId: string; name: string; backupEligible: boolean };
  /** A WebAuthn credential was removed by the user (actor `user`), or by an admin reset (`ADMIN_RESET` instead). */
  WEBAUTHN_CREDENTIAL_REMOVED: { credentialId: string; name: string };
  /**
   * An assertion's signature counter was not above the stored one (W3C WebAuthn §6.1.1): the
   * authenticator may have been cloned. The sign-in was refused and counted as a failure.
   */
  WEBAUTHN_COUNTER_REGRESSION: { credentialId: string; storedCounter: number; presentedCounter: number };
}

/**
 * Why a trust token did not skip the second factor: `unknown` (malformed, no
 * such device of this user, wrong secret, or revoked), `expired`, `epoch`
 * (reset, lock, disable or "sign out everywhere" since it was trusted),
 * `policy` (the user's role may no longer trust devices), `factor` (the
 * policy now requires a factor the device did not prove).
 */
export type TrustedDeviceRefusal = 'unknown' | 'expired' | 'epoch' | 'policy' | 'factor';

/** Why every session of a user was ended through {@link Mfa.sessions.revokeAll}. */
export type SessionRevocationReason = 'sign-out-everywhere' | 'password-changed' | 'admin';

/** Fields common to every event. */
export interface EventBase<T extends EventType> {
  /** Unique, sortable by time within one log (e.g. a Redis stream id). */
  id: string;
  /** Epoch milliseconds. */
  time: number;
  type: T;
  /** The user the event is about (the target of an admin action). */
  userId: string | null;
  orgId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** Set for admin/CLI actions. */
  actor: Actor | null;
  details: EventDetails[T];
}

/** A recorded MFA event: a discriminated union on `type`. */
export type MfaEvent = { [T in EventType]: EventBase<T> }[EventType];

/** An event before the log assigns its id (and, if absent, its time). */
export type NewMfaEvent = {
  [T in EventType]: Omit<EventBase<T>, 'id' | 'time' | 'orgId' | 'ip' | 'userAgent' | 'actor'> & {
    time?: number;
    orgId?: string | null;
    ip?: string | null;
    userAgent?: string | null;
    actor?: Actor | null;
  };
}[EventType];

/** Query over the event log. Results are newest first. */
export interface EventQuery {
  types?: readonly EventType[];
  userId?: string;
  orgId?: string;
  /** Inclusive lower bound, epoch ms. */
  since?: number;
  /** Inclusive upper bound, epoch ms. */
  until?: number;
  /** Case-insensitive substring over user id, org id, actor and details. */
  text?: string;
  /**
   * Users whose app-side name, username or e-mail matched `text` (the admin
   * router fills it from the app's user directory): an event about one of
   * them, or by one of them as actor, matches `text` too. Ignored without `text`.
   */
  textUserIds?: readonly string[];
  /** Page size, 1..500. @default 50 */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

/** One page of events. */
export interface EventPage {
  events: MfaEvent[];
  /** Pass as `cursor` to get the next (older) page; null when there is none. */
  nextCursor: string | null;
}
