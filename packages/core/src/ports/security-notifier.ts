import type { Actor } from '../events.js';
import type { FactorType } from '../types.js';

/**
 * What happened to the user's account security, in domain terms. Built from
 * the event log's facts only: a notice never carries a code, a secret, a
 * token or a full phone number (ASVS V6.3.5, V6.3.7).
 */
export type SecurityNotice =
  /** A second factor was set up (or the phone number changed, or a passkey registered). */
  | { kind: 'factor-added'; factor: 'totp' | 'sms' | 'webauthn'; maskedPhone: string | null }
  /**
   * Factors were removed: by the user (disable), because they said a number was not theirs, or one
   * passkey the user removed (`removed`, `name` set).
   */
  | {
      kind: 'factor-removed';
      factors: FactorType[];
      maskedPhone: string | null;
      cause: 'disabled' | 'not-my-number' | 'removed';
      /** The removed passkey's name (`removed`). */
      name?: string;
    }
  /** A new set of recovery codes replaced the old one. */
  | { kind: 'recovery-codes-regenerated'; count: number }
  /** A recovery code was used and only a few remain. */
  | { kind: 'recovery-codes-low'; remaining: number }
  /** An admin (or the CLI) removed every factor. */
  | { kind: 'admin-reset'; actor: Actor | null }
  /** The account was locked: by an admin, after repeated failures, or after "not my number". */
  | {
      kind: 'account-locked';
      reason: 'admin' | 'failures' | 'not-my-number';
      actor: Actor | null;
      /** Epoch ms when a temporary lock ends; null until an admin unlocks it. */
      until: number | null;
    }
  /**
   * The password was right but second-factor codes failed until a cooldown
   * started: someone may know the password.
   */
  | {
      kind: 'second-factor-failures';
      factor: 'totp' | 'sms' | 'recovery' | 'webauthn';
      cooldownUntil: number;
    };

/** One notification for one user. */
export interface SecurityNotification {
  userId: string;
  orgId: string | null;
  /** Epoch ms of the event behind it. */
  time: number;
  /** Where the request came from, when there was one. */
  ip: string | null;
  userAgent: string | null;
  /** Id of the event behind it, so a mailer can de-duplicate. */
  eventId: string;
  notice: SecurityNotice;
}

/**
 * The app's mailer (or push, or chat): tells a user about security-relevant
 * changes to their account. Called after the event is recorded, never
 * awaited by the MFA decision: a slow or failing mailer can't change or
 * delay a sign-in, and its failures go to `notifications.onError`.
 */
export interface SecurityNotifier {
  notify(notification: SecurityNotification): Promise<void>;
}
