import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext, loadTarget } from '../context.js';
import { reasonBodySchema, userIdSchema } from '../schemas.js';
import { loadSummary, toRow } from '../user-summary.js';
import type { UserDirectory } from '../user-directory.js';
import { validate } from '../../http/validate.js';
import { withReason } from './reset-user.js';

/**
 * `POST /users/:id/unlock { reason? }`: lifts the lock and clears every
 * failure counter and cooldown. Unlocking yourself is refused by core: a
 * locked admin must not undo the lock another admin placed.
 */
export function createUnlockUserHandler(deps: { mfa: Mfa; users: UserDirectory }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const id = validate(userIdSchema, req.params['id']);
    const body = validate(reasonBodySchema, req.body);
    const { view, user } = await loadTarget(context, deps.users, id);
    await deps.mfa.admin.unlock(context.actor, user, withReason(body.reason));
    res.json({ ok: true, user: toRow(view, await loadSummary(deps.mfa, user)) });
  };
}
