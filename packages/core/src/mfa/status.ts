import type { UserMfaStatus } from '../api.js';
import type { MfaUser } from '../types.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { computeRequirement, loadPolicy } from './requirement.js';
import { credentialInfo } from './webauthn-input.js';

/** A user's MFA state for the status route and admin screens (three reads in parallel). */
export async function getStatus(mfa: MfaContext, user: MfaUser): Promise<UserMfaStatus> {
  assertUser(user);
  const [policy, record, limiter] = await Promise.all([
    loadPolicy(mfa),
    mfa.backend.store.getRecord(user.id),
    mfa.backend.store.getLimiterStatus(user.id, mfa.now()),
  ]);
  return {
    userId: user.id,
    enrolled: record !== null && (record.totp !== null || record.sms !== null || record.webauthn.length > 0),
    totp: record?.totp ? { enrolledAt: record.totp.enrolledAt } : null,
    sms: record?.sms ? { maskedPhone: record.sms.maskedPhone, enrolledAt: record.sms.enrolledAt } : null,
    webauthn: (record?.webauthn ?? []).map(credentialInfo),
    recoveryCodesRemaining: record?.recoveryCodesRemaining ?? 0,
    requirement: computeRequirement(policy, user, record),
    limiter,
    epoch: record?.epoch ?? 0,
    known: record !== null,
  };
}
