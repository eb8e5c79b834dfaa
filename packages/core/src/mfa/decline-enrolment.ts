import { MfaError } from '../errors.js';
import type { MfaUser, RequestContext } from '../types.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { computeRequirement, loadPolicy } from './requirement.js';

/**
 * "Not now" at the enrolment prompt (seed 000). Allowed when MFA is optional,
 * or required but still inside its grace period; otherwise enrolment is
 * forced and this throws ENROLMENT_REQUIRED.
 */
export async function declineEnrolment(mfa: MfaContext, user: MfaUser, ctx: RequestContext): Promise<void> {
  assertUser(user);
  const [policy, record] = await Promise.all([loadPolicy(mfa), mfa.backend.store.getRecord(user.id)]);
  const requirement = computeRequirement(policy, user, record);
  if (requirement.required) {
    const grace = requirement.graceRemaining;
    const now = mfa.now();
    // startSignIn already counted this sign-in, so 0 sign-ins left can still be this one's.
    const inGrace = grace !== null && (grace.until === null || now < grace.until);
    if (!inGrace) throw new MfaError('ENROLMENT_REQUIRED');
  }
  await mfa.events.emit('ENROLMENT_DECLINED', {}, { user, ctx });
}
