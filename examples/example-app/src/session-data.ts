import type {} from 'express-session';

// The example keeps almost nothing in the session itself: the pending sign-in
// (`mfaPending`) and the MFA state (`mfa`) belong to `@mfa-kit/express`.
declare module 'express-session' {
  interface SessionData {
    /** A one-shot notice for the next page. */
    notice: string;
  }
}
