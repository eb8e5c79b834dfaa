import { ACTION_PRIVILEGES, ALL_PRIVILEGES, type Privilege } from '@mfa-kit/express';
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
