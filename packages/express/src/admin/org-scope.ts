import { parseOrgId } from '@mfa-kit/core';
import type { AdminCaller } from './caller.js';
import type { AdminContext } from './context.js';
import { Privilege } from './privileges.js';

/**
 * Which organisations an admin acts on. Decided once, by the guard, from the
 * caller's validated `orgId` and the `mfa:all-orgs` privilege; every route
 * reads it from the {@link AdminContext} and nowhere else.
 */
export interface OrgScope {
  /** The caller's organisation, or null for an admin of an app without organisations. */
  orgId: string | null;
  /** `mfa:all-orgs`: may act in every organisation. */
  allOrgs: boolean;
}

/**
 * The scope of a caller. An `orgId` that is neither an organisation id nor
 * null/absent (the number 42, `''`, an object) is the app's misconfigured
 * `getActor` or user model: it throws CONFIGURATION (500, logged) instead of
 * reading as "no organisation", which would make the caller instance-wide.
 */
export function resolveOrgScope(caller: AdminCaller, privileges: readonly Privilege[]): OrgScope {
  return {
    orgId: parseOrgId(caller.orgId, 'admin caller orgId', 'CONFIGURATION') ?? null,
    allOrgs: privileges.includes(Privilege.ALL_ORGS),
  };
}

/** The organisation filter for lists: the caller's organisation, or undefined (all) for cross-org admins. */
export function scopeOrgId(context: AdminContext): string | null | undefined {
  return context.scope.allOrgs ? undefined : context.scope.orgId;
}

/**
 * Whether a user of the app's directory is inside the caller's scope. The
 * directory is the app's code, so its `orgId` is validated like the
 * caller's: a malformed one throws CONFIGURATION rather than matching an
 * admin without an organisation.
 */
export function inScope(context: AdminContext, orgId: unknown): boolean {
  const target = parseOrgId(orgId, 'UserDirectory user orgId', 'CONFIGURATION') ?? null;
  return context.scope.allOrgs || target === context.scope.orgId;
}

/**
 * Whether the caller may change instance-wide policy fields (required roles,
 * rollout mode, grace, self-unlock) and other organisations' entries: a
 * cross-org admin, or an admin of an app without organisations.
 */
export function isInstanceWide(context: AdminContext): boolean {
  return context.scope.allOrgs || context.scope.orgId === null;
}
