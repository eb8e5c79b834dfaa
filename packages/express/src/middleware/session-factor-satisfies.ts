import { computeRequirement, type FactorType, factorSatisfies, type MfaUser } from '@mfa-kit/core';
import type { Request } from 'express';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { loadedPolicy } from '../session/loaded-policy.js';

/**
 * Whether the second factor a signed-in session completed with still
 * satisfies what the current policy requires of the user (core's
 * `factorSatisfies`, the one enforced place). WebAuthn satisfies every
 * requirement, so it needs no policy; otherwise the policy read beside this
 * request's session load is used, and read now only when the session was
 * not loaded from the store (created by this very request).
 */
export async function sessionFactorSatisfies(
  kit: ResolvedMfaExpressOptions,
  req: Request,
  user: MfaUser,
  factor: FactorType | null,
): Promise<boolean> {
  if (factor === 'webauthn') return true;
  const policy = loadedPolicy(req) ?? (await kit.mfa.admin.getPolicy());
  const requirement = computeRequirement(policy, user, null);
  // A session without a recorded factor (let in without MFA) is judged by the policy alone elsewhere.
  return factor === null ? !requirement.required : factorSatisfies(requirement, factor);
}
