import type { MfaPolicy, MfaUser } from '@mfa-kit/core';

/** What the policy alone says about a logged-in user without a second factor. */
export type PolicyVerdict = 'not-required' | 'required' | 'required-in-grace';

/**
 * Evaluates the policy document for one user, following the semantics
 * documented on {@link MfaPolicy}: outside the rollout nothing is required;
 * otherwise a required role or organisation requires MFA, unless a grace
 * period is open by date. Grace *sign-ins* are counted by core at sign-in
 * (`startSignIn`), so a session admitted on grace keeps its admission while
 * the grace period has not ended by date.
 *
 * Kept here rather than calling `mfa.requirement()` so `requireMfa()` costs
 * exactly one policy read (`mfa.requirement` also reads the user's record).
 * `policy-requires-mfa.test.ts` checks it agrees with core's `requirement()`
 * over generated policies and users.
 */
export function policyRequiresMfa(policy: MfaPolicy, user: MfaUser, now: number): PolicyVerdict {
  const rolledOut =
    policy.rollout.mode === 'all' || (user.orgId !== undefined && policy.rollout.orgs.includes(user.orgId));
  if (!rolledOut) return 'not-required';
  const byRole = (user.roles ?? []).some((role) => policy.requiredRoles.includes(role));
  const byOrg = user.orgId !== undefined && policy.requiredOrgs.includes(user.orgId);
  if (!byRole && !byOrg) return 'not-required';
  const grace = policy.grace;
  if (grace !== null && (grace.until === undefined || now < grace.until)) return 'required-in-grace';
  return 'required';
}
