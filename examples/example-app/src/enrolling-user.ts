import type { Request } from 'express';
import type { AppContext } from './context.js';
import { currentUser } from './request.js';
import { readPending } from './sign-in-state.js';
import type { AppUser } from './users.js';

/** Who may use the enrolment pages: a logged-in user, or a pending sign-in in forced enrolment. */
export type Enroller =
  | { state: 'ok'; user: AppUser; forced: boolean }
  | { state: 'expired' }
  | { state: 'none' }
  | { state: 'challenge' };

/** Finds the enrolling user of this request (an expired forced enrolment is SESSION_EXPIRED). */
export async function findEnroller(req: Request, ctx: AppContext): Promise<Enroller> {
  const user = currentUser(req, ctx);
  if (user !== null) return { state: 'ok', user, forced: false };
  const lookup = await readPending(req, ctx);
  if (lookup.state !== 'live') return lookup;
  if (lookup.pending.stage !== 'enrol') return { state: 'challenge' };
  return { state: 'ok', user: lookup.user, forced: true };
}
