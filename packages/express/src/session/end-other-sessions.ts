import { MfaError, type SessionRevocationReason } from '@mfa-kit/core';
import type { Request } from 'express';
import { signedInUser } from '../middleware/signed-in-user.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { rotateSession } from './rotate-session.js';

/**
 * Ends every other session of the signed-in user and keeps this one: bumps
 * the user's epoch (every session issued under the old one is refused from
 * now on, wherever it is stored) and moves this session to the new epoch
 * under a new id. For "sign out of other devices" and after a password change.
 */
export async function endOtherSessions(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  input: { reason: SessionRevocationReason },
): Promise<void> {
  const user = signedInUser(kit, req);
  const state = req.session?.mfa;
  if (user === null || state === undefined || state.userId !== user.id)
    throw new MfaError('UNAUTHENTICATED', { message: 'Sign in first.' });
  state.epoch = await kit.mfa.sessions.revokeAll(user, { reason: input.reason });
  await rotateSession(req, user.id);
}
