import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext, loadTarget } from '../context.js';
import { reasonBodySchema, userIdSchema } from '../schemas.js';
import { loadSummary, toRow } from '../user-summary.js';
import type { UserDirectory } from '../user-directory.js';
import { validate } from '../../http/validate.js';
import { withReason } from './reset-user.js';

/**
 * `POST /users/:id/lock { reason? }` (seed 004 "Lock user account"): the user
 * can't sign in until an admin, the CLI or (if policy allows) an unlock link
 * lifts it, and every live session of theirs ends (core bumps the session
 * epoch with the lock). Locking yourself is refused by core.
 */
export function createLockUserHandler(deps: { mfa: Mfa; users: UserDirectory }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const id = validate(userIdSchema, req.params['id']);
    const body = validate(reasonBodySchema, req.body);
    const { view, user } = await loadTarget(context, deps.users, id);
    await deps.mfa.admin.lock(context.actor, user, withReason(body.reason));
    res.json({ ok: true, user: toRow(view, await loadSummary(deps.mfa, user)) });
  };
}
