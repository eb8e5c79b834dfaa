import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { sendError } from '../http/send-error.js';
import type { GetAdminCaller } from './caller.js';
import { setAdminContext } from './context.js';
import { resolveOrgScope } from './org-scope.js';
import type { Privilege } from './privileges.js';
import { resolvePrivileges } from './privileges.js';

/** Dependencies of {@link createAdminGuard}. */
export interface AdminGuardDeps {
  mfa: Mfa;
  getActor: GetAdminCaller;
  privileges: Readonly<Record<string, readonly Privilege[]>>;
}

/**
 * The checks every admin route runs, in this order:
 * 1. nobody signed in → 401 UNAUTHENTICATED;
 * 2. a pending session (password done, second factor not) → 401 UNAUTHENTICATED;
 * 3. missing `privilege` → 403 FORBIDDEN (null: any signed-in caller);
 * 4. the caller's account is locked → 423 ACCOUNT_LOCKED (an admin lock already ended the
 *    caller's sessions; a lock from failed attempts stops the old sessions administering too,
 *    so a locked admin can't use the admin API, let alone lift their own lock);
 * 5. policy requires MFA for the caller and this session did not complete it → 403 MFA_REQUIRED
 *    (also during a grace period: grace lets a user sign in, not administer others);
 * then decides the caller's organisation scope once (`resolveOrgScope`: a malformed `orgId` is a
 * CONFIGURATION error, never "no organisation") and stores the {@link AdminContext}. Routes check
 * each target against that scope.
 */
export function createAdminGuard(deps: AdminGuardDeps, privilege: Privilege | null): RequestHandler {
  return async (req, res, next) => {
    const caller = await deps.getActor(req);
    if (caller === null || caller.id === '') return sendError(res, 'UNAUTHENTICATED');
    if (caller.pending) {
      return sendError(res, 'UNAUTHENTICATED', {
        message: 'Complete sign-in with your second factor first.',
      });
    }
    const privileges = resolvePrivileges(caller.roles, deps.privileges);
    if (privilege !== null && !privileges.includes(privilege)) return sendError(res, 'FORBIDDEN');
    const scope = resolveOrgScope(caller, privileges);
    const status = await deps.mfa.status({
      id: caller.id,
      orgId: scope.orgId ?? undefined,
      roles: caller.roles,
    });
    if (status.limiter.locked) return sendError(res, 'ACCOUNT_LOCKED');
    if (!caller.mfaCompleted && status.requirement.required) return sendError(res, 'MFA_REQUIRED');
    setAdminContext(res, {
      caller: { ...caller, orgId: scope.orgId },
      actor: { kind: 'admin', id: caller.id },
      privileges,
      scope,
    });
    next();
  };
}
