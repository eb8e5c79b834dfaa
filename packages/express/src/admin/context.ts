import type { Actor, MfaUser } from '@mfa-kit/core';
import { MfaError } from '@mfa-kit/core';
import type { Response } from 'express';
import type { AdminCaller } from './caller.js';
import { inScope, type OrgScope } from './org-scope.js';
import type { Privilege } from './privileges.js';
import type { AdminUserView, UserDirectory } from './user-directory.js';

/** What the guard learnt about the caller, kept in `res.locals` for the route handlers. */
export interface AdminContext {
  caller: AdminCaller;
  /** The audit actor core records (`kind: 'admin'`). */
  actor: Actor;
  privileges: Privilege[];
  /** The organisations the caller acts on (see `org-scope.ts`). */
  scope: OrgScope;
}

const KEY = 'mfaKitAdmin';

/** Stores the context for later handlers of this request. */
export function setAdminContext(res: Response, context: AdminContext): void {
  res.locals[KEY] = context;
}

/** The context the guard stored; throws if a route was mounted without the guard (a wiring bug). */
export function getAdminContext(res: Response): AdminContext {
  const context = res.locals[KEY] as AdminContext | undefined;
  if (context === undefined)
    throw new MfaError('CONFIGURATION', { message: 'Admin route without its guard.' });
  return context;
}

/**
 * Finds the target of an admin action. A user of another organisation is
 * reported exactly like a missing one (404 NOT_FOUND), so admins can't probe
 * which ids exist elsewhere.
 */
export async function loadTarget(
  context: AdminContext,
  users: UserDirectory,
  id: string,
): Promise<{ view: AdminUserView; user: MfaUser }> {
  const view = await users.findById(id);
  if (view === null || view.id !== id || !inScope(context, view.orgId)) {
    throw new MfaError('NOT_FOUND', { message: 'No such user.' });
  }
  return { view, user: toMfaUser(view) };
}

/** The core user for a directory entry. */
export function toMfaUser(view: AdminUserView): MfaUser {
  return { id: view.id, orgId: view.orgId ?? undefined, roles: view.roles, label: view.email };
}
