import type { CarriedFactors, FactorType } from '@mfa-kit/core';
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
  /** The user's session epoch at the password step; the session store refuses the session once it moves. */
  epoch: number;
  /** Epoch ms of the password step that started this pending sign-in (fresh proof for a first enrolment). */
  passwordAt: number;
  /**
   * What the challenge handed on to the code step (core's `CarriedFactors`: the TOTP factor with its
   * secret sealed, the recovery-code count), so a matching TOTP code skips the record read. Server-side
   * only: never in a response. Absent in sessions from before it existed (then the record is read).
   */
  carried?: CarriedFactors;
}

/**
 * What a logged-in session knows about MFA. Written before `req.login` with
 * `keepSessionInfo`, so it survives the session id regeneration.
 */
export interface SessionMfaState {
  userId: string;
  /** Epoch ms when this session satisfied MFA (a verified factor, or a new factor confirmed at enrolment); null when it was let in without MFA. */
  completedAt: number | null;
  factor: FactorType | null;
  /**
   * Epoch ms of the last time this session verified one of the user's
   * existing factors (sign-in or step-up): the fresh proof that changing
   * factors needs. Confirming a new factor never sets it.
   */
  verifiedAt: number | null;
  /** Epoch ms of the password step this session came from. */
  passwordAt: number | null;
  /** The user's session epoch this session was issued under; the session store refuses the session once it moves. */
  epoch: number;
  /**
   * How the session got in: `mfa` (a second factor now), `trusted-device`
   * (the browser's trust token stood in for the factor it proved before, see
   * `factor`; no fresh proof), or without a second factor.
   */
  via: 'mfa' | 'trusted-device' | 'optional' | 'not-rolled-out' | 'grace';
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
