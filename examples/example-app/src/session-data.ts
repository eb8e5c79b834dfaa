import type { FactorType } from '@mfa-kit/core';

/**
 * The MFA step between the password and the login. A pending session is not
 * logged in: `req.isAuthenticated()` stays false until the second factor (or
 * a forced enrolment) succeeds.
 */
export interface PendingSignIn {
  userId: string;
  stage: 'challenge' | 'enrol';
  factors: FactorType[];
  maskedPhone: string | null;
  /** Epoch ms from the injected clock; after it the user gets SESSION_EXPIRED (seed 004). */
  expiresAt: number;
}

declare module 'express-session' {
  interface SessionData {
    pending: PendingSignIn;
    /** A started, unconfirmed TOTP enrolment (the sealed secret never leaves the server). */
    totpEnrolment: { sealedSecret: string; secret: string; uri: string };
    /** Recovery codes to show once on the next page view. */
    freshRecoveryCodes: string[];
    /** A one-shot notice for the next page. */
    notice: string;
  }
}

/** Default lifetime of a pending sign-in (issue 4: 10 minutes). */
export const PENDING_TTL_MS = 10 * 60 * 1000;
