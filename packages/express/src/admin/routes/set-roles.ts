import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { sendError } from '../../http/send-error.js';
import { validate } from '../../http/validate.js';
import { getAdminContext, loadTarget } from '../context.js';
import { type Privilege, resolvePrivileges } from '../privileges.js';
import { setRolesBodySchema, userIdSchema } from '../schemas.js';
import { loadSummary, toRow } from '../user-summary.js';
import type { UserDirectory } from '../user-directory.js';
import { withReason } from './reset-user.js';

type PrivilegeMap = Readonly<Record<string, readonly Privilege[]>>;

/** The privileges `roles` grant that `held` lacks. */
function beyond(roles: readonly string[], held: readonly Privilege[], map: PrivilegeMap): Privilege[] {
  return resolvePrivileges(roles, map).filter((p) => !held.includes(p));
}

/**
 * `PUT /users/:id/roles { roles, reason? }` (seed 003: "Your user role is
 * changed to a new role that does not require MFA"): replaces the user's
 * roles through the app's `UserDirectory.setRoles` and records ROLE_CHANGED
 * with the acting admin. The MFA requirement follows at once: `requireMfa()`
 * and the admin guard evaluate policy against the user's current roles on
 * every request, and the next sign-in decides from them.
 *
 * Refused (403 FORBIDDEN): changing your own roles, and any change that
 * involves privileges the admin does not hold (granting a role with more
 * admin privileges than yours, or changing the roles of a more privileged
 * user), so `mfa:roles` can never be a step up to `mfa:all-orgs`.
 */
export function createSetRolesHandler(deps: {
  mfa: Mfa;
  users: UserDirectory;
  setRoles: NonNullable<UserDirectory['setRoles']>;
  privileges: PrivilegeMap;
}): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const id = validate(userIdSchema, req.params['id']);
    const body = validate(setRolesBodySchema, req.body);
    const { view, user } = await loadTarget(context, deps.users, id);
    if (user.id === context.caller.id) {
      return sendError(res, 'FORBIDDEN', { message: 'You cannot change your own roles.' });
    }
    const before = [...view.roles];
    const escalation = [
      ...beyond(body.roles, context.privileges, deps.privileges),
      ...beyond(before, context.privileges, deps.privileges),
    ];
    if (escalation.length > 0) {
      return sendError(res, 'FORBIDDEN', {
        message: `This change involves privileges you do not have (${[...new Set(escalation)].join(', ')}).`,
      });
    }
    await deps.setRoles(user.id, body.roles, context.actor);
    const { view: updated, user: current } = await loadTarget(context, deps.users, id);
    await deps.mfa.events.record({
      type: 'ROLE_CHANGED',
      userId: user.id,
      orgId: user.orgId ?? null,
      actor: context.actor,
      details: { before, after: [...updated.roles], ...withReason(body.reason) },
    });
    res.json({ ok: true, user: toRow(updated, await loadSummary(deps.mfa, current)) });
  };
}
