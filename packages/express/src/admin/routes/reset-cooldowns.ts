import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext, loadTarget } from '../context.js';
import { resetCooldownsBodySchema, userIdSchema } from '../schemas.js';
import { loadSummary, toRow } from '../user-summary.js';
import type { UserDirectory } from '../user-directory.js';
import { validate } from '../../http/validate.js';

/**
 * `POST /users/:id/reset-cooldowns { which: 'verification' | 'sms-setup' | 'all', reason? }`.
 * Seed 004: "You can reset the 1-hour MFA setup cooldown so you can try again right away."
 * Does not lift a lock (that is `unlock`).
 */
export function createResetCooldownsHandler(deps: { mfa: Mfa; users: UserDirectory }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const id = validate(userIdSchema, req.params['id']);
    const body = validate(resetCooldownsBodySchema, req.body ?? {});
    const { view, user } = await loadTarget(context, deps.users, id);
    const input: { which: typeof body.which; reason?: string } = { which: body.which };
    if (body.reason !== undefined && body.reason !== '') input.reason = body.reason;
    await deps.mfa.admin.resetCooldowns(context.actor, user, input);
    res.json({ ok: true, user: toRow(view, await loadSummary(deps.mfa, user)) });
  };
}
