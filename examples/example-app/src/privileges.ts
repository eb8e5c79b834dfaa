import { ACTION_PRIVILEGES, ALL_PRIVILEGES, type Privilege, resolvePrivileges } from '@mfa-kit/express';
import type { AppUser } from './users.js';

/**
 * Role → admin privileges, given to mfa-kit's admin router and used by the
 * pages to show an action as disabled (seed 000: "If your admin sees the
 * reset action but it's disabled, their role doesn't have the privilege").
 * - `admin`: every action, in their own organisation (seed 000's default);
 * - `owner`: also across organisations, so instance-wide policy (roles,
 *   rollout, grace) is theirs (seed 001's "Owner");
 * - `support`: may look at users and logs, but not reset or lock.
 */
export const ROLE_PRIVILEGES: Readonly<Record<string, readonly Privilege[]>> = {
  admin: ACTION_PRIVILEGES,
  owner: ALL_PRIVILEGES,
  support: ['mfa:read', 'mfa:logs'],
};

/** Whether the user holds `privilege` through one of their roles. */
export function can(user: AppUser, privilege: Privilege): boolean {
  return user.roles.some(
    (role) => Object.hasOwn(ROLE_PRIVILEGES, role) && ROLE_PRIVILEGES[role]?.includes(privilege),
  );
}

export type { Privilege };

/** What each privilege lets an admin do, in words for the pages. */
export const PRIVILEGE_WORDS: Readonly<Record<Privilege, string>> = {
  'mfa:read': "see users' MFA status",
  'mfa:reset': 'reset MFA',
  'mfa:lock': 'lock and unlock accounts and clear cooldowns',
  'mfa:logs': 'read the MFA error logs',
  'mfa:policy': 'change the MFA policy',
  'mfa:roles': 'change roles',
  'mfa:all-orgs': 'act in every organisation',
};

/** The privileges the user's roles grant, in order. */
export function privilegesOf(roles: readonly string[]): Privilege[] {
  return resolvePrivileges(roles, ROLE_PRIVILEGES);
}

/** Roles an admin may give or take away: those granting no privilege the admin lacks (the admin router's rule). */
export function assignable(admin: AppUser, roles: readonly string[]): boolean {
  const held = privilegesOf(admin.roles);
  return privilegesOf(roles).every((p) => held.includes(p));
}

/** Every role the example knows, for the role picker. */
export const ROLES: readonly string[] = ['user', 'support', 'admin', 'owner'];
