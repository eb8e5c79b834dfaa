import { computeRequirement, type MfaPolicy, type MfaUser } from '@mfa-kit/core';

/** What the policy alone says about a logged-in user without a second factor. */
export type PolicyVerdict = 'not-required' | 'required' | 'required-in-grace';

/**
 * Evaluates the policy document for one user with core's own rule
 * (`computeRequirement`), without reading the user's record: grace *sign-ins*
 * are counted by core at sign-in (`startSignIn`), so a session admitted on
 * grace keeps its admission while the grace period has not ended by date.
 * This keeps `requireMfa()` to exactly one policy read per request
 * (`mfa.requirement()` would also read the user's record).
 */
export function policyRequiresMfa(policy: MfaPolicy, user: MfaUser, now: number): PolicyVerdict {
  const requirement = computeRequirement(policy, user, null);
  if (!requirement.required) return 'not-required';
  const grace = requirement.graceRemaining;
  if (grace !== null && (grace.until === null || now < grace.until)) return 'required-in-grace';
  return 'required';
}
