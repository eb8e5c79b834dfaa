import type { FactorType } from '@mfa-kit/core';
import type {} from 'express-session';

/**
 * A sign-in that passed the password step and waits for a second factor
 * (`challenge`) or for a forced enrolment (`enrol`). It lives in the session
 * *before* login: `req.isAuthenticated()` is false while it exists, and it
 * expires after `pendingTtlMs` (ARCHITECTURE "Sign-in flow" step 1 and 4).
 */
export interface PendingSignIn {
  userId: string;
  orgId: string | null;
  roles: string[];
  stage: 'challenge' | 'enrol';
  /** Factors the user may verify with (challenge stage). */
  factors: FactorType[];
  /** Masked enrolled phone for the SMS challenge screen; never the full number. */
  maskedPhone: string | null;
  /** Why enrolment is forced (enrol stage). */
  reason: 'role' | 'organisation' | null;
  /** Epoch ms after which the pending state is refused with SESSION_EXPIRED. */
  expiresAt: number;
  /** The user's session epoch at the password step. */
  epoch: number;
}

/**
 * What a logged-in session knows about MFA. Written before `req.login` with
 * `keepSessionInfo`, so it survives the session id regeneration.
 */
export interface SessionMfaState {
  userId: string;
  /** Epoch ms of the last completed second factor; null when the session was let in without MFA. */
  completedAt: number | null;
  factor: FactorType | null;
  epoch: number;
  /** How the session got in without a second factor, when it did. */
  via: 'mfa' | 'optional' | 'not-rolled-out' | 'grace';
  /** MFA is optional and not set up: the UI may offer enrolment or "decline for now" (seed 000). */
  offerEnrolment: boolean;
  /** The session id the session index last recorded (avoids re-adding on every save). */
  indexedSid?: string;
}

/** A TOTP enrolment started but not confirmed: the sealed secret stays server-side, in the session. */
export interface PendingTotpEnrolment {
  sealedSecret: string;
  startedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    mfaPending?: PendingSignIn;
    mfa?: SessionMfaState;
    mfaTotpEnrolment?: PendingTotpEnrolment;
  }
}
