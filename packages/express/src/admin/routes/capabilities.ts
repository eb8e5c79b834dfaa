import type { RequestHandler } from 'express';
import { getAdminContext } from '../context.js';
import { ACTION_PRIVILEGES, Privilege } from '../privileges.js';

/**
 * `GET /me/capabilities`: which admin privileges the caller has, so a UI can
 * show an action but disable it (seed 000: "If your admin sees the reset
 * action but it's disabled, their role doesn't have the privilege").
 */
export function createCapabilitiesHandler(deps: { rolesSupported: boolean }): RequestHandler {
  return (_req, res) => {
    const context = getAdminContext(res);
    // `mfa:roles` is an action only when the app's directory can change roles.
    const actions = Object.fromEntries(
      ACTION_PRIVILEGES.map((p) => [
        p,
        context.privileges.includes(p) && (p !== Privilege.ROLES || deps.rolesSupported),
      ]),
    );
    res.json({
      userId: context.caller.id,
      orgId: context.scope.orgId,
      privileges: context.privileges,
      actions,
      allOrgs: context.scope.allOrgs,
    });
  };
}
