/**
 * Admin privileges. Each admin route needs exactly one; `mfa:all-orgs` widens
 * the scope of the others from the admin's own organisation to every
 * organisation (and allows instance-wide policy changes).
 */
export const Privilege = {
  /** See users' MFA status (`GET /users`, `GET /users/:id`). */
  READ: 'mfa:read',
  /** Reset a user's MFA (seed 000: "the MFA reset privilege"). */
  RESET: 'mfa:reset',
  /** Lock/unlock an account and reset cooldowns (seed 004). */
  LOCK: 'mfa:lock',
  /** Read and export the MFA error log (seed 004 "View MFA error logs"). */
  LOGS: 'mfa:logs',
  /** Read and change the MFA policy (required roles, rollout, grace). */
  POLICY: 'mfa:policy',
  /**
   * Change a user's roles (seed 003: "Your user role is changed to a new role
   * that does not require MFA"). Only when the app's directory has `setRoles`.
   */
  ROLES: 'mfa:roles',
  /** Act outside the admin's own organisation. Never granted by default. */
  ALL_ORGS: 'mfa:all-orgs',
} as const;

/** One privilege name. */
export type Privilege = (typeof Privilege)[keyof typeof Privilege];

/** Every privilege, in display order. */
export const ALL_PRIVILEGES: readonly Privilege[] = Object.values(Privilege);

/** The action privileges (everything except the cross-organisation scope). */
export const ACTION_PRIVILEGES: readonly Privilege[] = ALL_PRIVILEGES.filter((p) => p !== Privilege.ALL_ORGS);

/**
 * Role → privileges used when the app passes none. Seed 000: "The MFA reset
 * privilege is granted to the Admin role by default." Cross-organisation
 * scope is deliberately not part of it.
 */
export const DEFAULT_PRIVILEGES: Readonly<Record<string, readonly Privilege[]>> = Object.freeze({
  admin: ACTION_PRIVILEGES,
});

/** The union of the privileges granted to `roles`, in {@link ALL_PRIVILEGES} order. */
export function resolvePrivileges(
  roles: readonly string[],
  map: Readonly<Record<string, readonly Privilege[]>>,
): Privilege[] {
  const granted = new Set<Privilege>();
  for (const role of roles) {
    // Own-property lookup only: a role named `constructor` or `__proto__` must grant nothing.
    if (!Object.hasOwn(map, role)) continue;
    for (const privilege of map[role] ?? []) granted.add(privilege);
  }
  return ALL_PRIVILEGES.filter((p) => granted.has(p));
}
