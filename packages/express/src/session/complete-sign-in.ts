import type { Request } from 'express';
import type { SessionMfaState } from './session-data.js';

/**
 * Logs the user in and records the MFA state of the new session.
 *
 * The state is written before `req.login` and carried across Passport's
 * session regeneration with `keepSessionInfo`, so the new session id (session
 * fixation defence) is saved once, already holding `{ completedAt, factor,
 * epoch }` and the user id the session index files it under.
 */
export function completeSignIn(req: Request, user: Express.User, state: SessionMfaState): Promise<void> {
  delete req.session.mfaPending;
  delete req.session.mfaTotpEnrolment;
  req.session.mfa = { ...state };
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
