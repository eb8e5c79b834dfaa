import type { AppUser } from './users.js';

/** Admin privileges (issue 6): checked on every admin page and action. */
export type Privilege = 'mfa:read' | 'mfa:reset' | 'mfa:lock' | 'mfa:logs' | 'mfa:policy';

/**
 * Role → privileges. `admin` gets everything (seed 000: "the MFA reset privilege
 * is granted to the Admin role by default"); `support` may look but not reset,
 * which is how the example shows a disabled "Reset MFA" button.
 */
export const ROLE_PRIVILEGES: Readonly<Record<string, readonly Privilege[]>> = {
  admin: ['mfa:read', 'mfa:reset', 'mfa:lock', 'mfa:logs', 'mfa:policy'],
  support: ['mfa:read', 'mfa:logs'],
};

/** The union of the privileges of the user's roles. */
export function privilegesOf(user: AppUser): Set<Privilege> {
  return new Set(user.roles.flatMap((role) => ROLE_PRIVILEGES[role] ?? []));
}

/** Whether the user holds `privilege`. */
export function can(user: AppUser, privilege: Privilege): boolean {
  return privilegesOf(user).has(privilege);
}
