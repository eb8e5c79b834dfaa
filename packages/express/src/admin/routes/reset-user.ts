import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext, loadTarget } from '../context.js';
import { reasonBodySchema, userIdSchema } from '../schemas.js';
import { loadSummary, toRow } from '../user-summary.js';
import type { UserDirectory } from '../user-directory.js';
import { validate } from '../../http/validate.js';

/**
 * `POST /users/:id/reset { reason? }`: removes the user's factors and recovery
 * codes and ends every session (core bumps the session epoch in the same
 * atomic step); the user enrols again at next sign-in when policy requires it
 * (seeds 000–002). An admin can't reset their own MFA (core refuses it): that
 * would let a stolen admin session drop the second factor of its own account.
 */
export function createResetUserHandler(deps: { mfa: Mfa; users: UserDirectory }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const id = validate(userIdSchema, req.params['id']);
    const body = validate(reasonBodySchema, req.body);
    const { view, user } = await loadTarget(context, deps.users, id);
    await deps.mfa.admin.reset(context.actor, user, withReason(body.reason));
    res.json({ ok: true, user: toRow(view, await loadSummary(deps.mfa, user)) });
  };
}

/** `{ reason }` without an empty/absent reason. */
export function withReason(reason: string | undefined): { reason?: string } {
  return reason === undefined || reason === '' ? {} : { reason };
}
