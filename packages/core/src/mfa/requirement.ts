import type { MfaPolicy, MfaRecord, MfaUser, Requirement } from '../types.js';
import type { MfaContext } from './context.js';

/** The stored policy, or the configured default until an admin saves one. */
export async function loadPolicy(mfa: MfaContext): Promise<MfaPolicy> {
  return (await mfa.backend.policies.get()) ?? mfa.options.policy;
}

/** Whether MFA has been rolled out to the user's organisation (seed 000: gradual rollout). */
export function isRolledOut(policy: MfaPolicy, user: MfaUser): boolean {
  if (policy.rollout.mode === 'all') return true;
  return user.orgId !== undefined && policy.rollout.orgs.includes(user.orgId);
}

/**
 * Decides from the policy alone (a phishing-resistant role or organisation
 * implies MFA required, with `phishingResistant: true`) whether MFA is available and required:
 * rollout first (a user outside the rollout never sees MFA), then role, then
 * organisation. `graceRemaining` counts the grace sign-ins already used
 * (pass a null record to evaluate the policy alone).
 */
export function computeRequirement(policy: MfaPolicy, user: MfaUser, record: MfaRecord | null): Requirement {
  if (!isRolledOut(policy, user)) return { available: false, required: false, reason: 'not-rolled-out' };
  const roles = user.roles ?? [];
  const inOrg = (orgs: readonly string[] | undefined) =>
    user.orgId !== undefined && (orgs ?? []).includes(user.orgId);
  const strongByRole = roles.some((role) => (policy.phishingResistantRoles ?? []).includes(role));
  const strong = strongByRole || inOrg(policy.phishingResistantOrgs);
  const byRole = strongByRole || roles.some((role) => policy.requiredRoles.includes(role));
  const byOrg = strong || inOrg(policy.requiredOrgs);
  if (!byRole && !byOrg) return { available: true, required: false, reason: 'optional' };
  const grace = policy.grace;
  const used = record?.graceSignInsUsed ?? 0;
  return {
    available: true,
    required: true,
    reason: byRole ? 'role' : 'organisation',
    ...(strong ? { phishingResistant: true as const } : {}),
    graceRemaining:
      grace === null
        ? null
        : {
            signIns: grace.signIns === undefined ? null : Math.max(0, grace.signIns - used),
            until: grace.until ?? null,
          },
  };
}
