import type { Request } from 'express';
import { deferNextDestroy, settleDeferredDestroy } from './deferred-destroy.js';
import type { SessionMfaState } from './session-data.js';
import { claimNextSessionId } from './session-id.js';
import { takeSuccessEvent } from './success-event.js';

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
 *
 * The old id's deletion goes out with Passport's save of the new session (one
 * round trip, `deferred-destroy.ts`), and express-session's second save at the
 * end of the response writes nothing new, so the guarded store skips it:
 * completing sign-in writes the new session once.
 *
 * The second factor's success event, when the strategy handed it over
 * (`success-event.ts`), was sent just before and is awaited here beside the
 * save. If it was not recorded the sign-in fails: the new session is
 * destroyed (express-session then sends no cookie for it, even if the
 * deletion fails too) and the append's error (`STORE_UNAVAILABLE`, 503) is
 * thrown, so no sign-in completes without its event
 * (`test/express/success-event-failure.test.ts`).
 */
export async function completeSignIn(
  req: Request,
  user: Express.User,
  state: SessionMfaState,
): Promise<void> {
  const recorded = takeSuccessEvent(req);
  delete req.session.mfaPending;
  delete req.session.mfaTotpEnrolment;
  req.session.mfa = { ...state };
  claimNextSessionId(req, state.userId);
  deferNextDestroy(req);
  const login = (async () => {
    try {
      await new Promise<void>((resolve, reject) => {
        req.login(user, { session: true, keepSessionInfo: true }, (error: unknown) =>
          error ? reject(error) : resolve(),
        );
      });
    } finally {
      await settleDeferredDestroy(req);
    }
  })();
  const [saved, event] = await Promise.allSettled([login, recorded]);
  if (event.status === 'rejected') {
    // Never a signed-in session without its event: the browser gets no cookie for it, and it is deleted.
    await endSession(req).catch(() => undefined);
    throw event.reason;
  }
  if (saved.status === 'rejected') throw saved.reason;
}

/** Ends the session of this request: logs out and destroys it in the store. */
export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (req.session === undefined) return resolve();
    req.session.destroy((error: unknown) => (error ? reject(error) : resolve()));
  });
}
