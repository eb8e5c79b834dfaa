import type { Request } from 'express';
import type { SessionMfaState } from './session-data.js';
import { claimNextSessionId } from './session-id.js';

/**
 * Logs the user in and records the MFA state of the new session.
 *
 * The state is written before `req.login` and carried across Passport's
 * session regeneration with `keepSessionInfo`, so the new session id (session
 * fixation defence), which names the user, is saved already holding
 * `{ completedAt, factor, epoch, … }`. The session it regenerates from is
 * mfa-kit's own (a pending sign-in, a signed-in session, or one the password
 * step already emptied, see `startSignIn`), so what it carries over is the
 * user's.
 */
export function completeSignIn(req: Request, user: Express.User, state: SessionMfaState): Promise<void> {
  delete req.session.mfaPending;
  delete req.session.mfaTotpEnrolment;
  req.session.mfa = { ...state };
  claimNextSessionId(req, state.userId);
  return new Promise((resolve, reject) => {
    req.login(user, { session: true, keepSessionInfo: true }, (error: unknown) =>
      error ? reject(error) : resolve(),
    );
  });
}

/** Ends the session of this request: logs out and destroys it in the store. */
export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (req.session === undefined) return resolve();
    req.session.destroy((error: unknown) => (error ? reject(error) : resolve()));
  });
}
