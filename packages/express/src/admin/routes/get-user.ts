import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext, loadTarget } from '../context.js';
import { userIdSchema } from '../schemas.js';
import { summarizeStatus, toRow } from '../user-summary.js';
import type { UserDirectory } from '../user-directory.js';
import { validate } from '../../http/validate.js';

/** `GET /users/:id`: the user's MFA status, limiter details and recent events (newest first). */
export function createGetUserHandler(deps: {
  mfa: Mfa;
  users: UserDirectory;
  recentEvents: number;
}): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const { view, user } = await loadTarget(context, deps.users, validate(userIdSchema, req.params['id']));
    const [status, page] = await Promise.all([
      deps.mfa.status(user),
      deps.mfa.events.query({ userId: user.id, limit: deps.recentEvents }),
    ]);
    res.json({
      user: toRow(view, summarizeStatus(status, page.events[0] ?? null)),
      limiter: status.limiter,
      events: page.events,
    });
  };
}
