import type { TrustedDeviceRefusal } from '../events.js';
import type { MfaPolicy, MfaUser, Requirement, TrustedDevice } from '../types.js';
import type { KeyedHasher } from '../crypto/index.js';
import { constantTimeEqual } from '../crypto/constant-time.js';
import { factorSatisfies } from './factor-satisfies.js';
import { hashTrustedDeviceSecret, type TrustedDeviceToken } from './trusted-device-token.js';

/** Whether the user's roles may trust devices under `policy` (`trustedDevices.forbiddenRoles`). */
export function mayTrustDevices(policy: MfaPolicy, user: MfaUser): boolean {
  const forbidden = policy.trustedDevices?.forbiddenRoles ?? [];
  return !(user.roles ?? []).some((role) => forbidden.includes(role));
}

/** Everything the verdict depends on, read by the caller (in parallel) before. */
export interface TrustedDeviceCheck {
  token: TrustedDeviceToken;
  /** The stored device with the token's id, or null. */
  device: TrustedDevice | null;
  user: MfaUser;
  policy: MfaPolicy;
  requirement: Requirement;
  /** The user's current session epoch. */
  epoch: number;
  now: number;
  hasher: KeyedHasher;
}

/**
 * The trusted-device decision: a token skips the second factor only when it
 * names a device of THIS user with a matching secret (constant-time), not
 * expired at `now`, trusted under the current epoch (a reset, lock, disable or
 * "sign out everywhere" since ends it), for a role that may still trust
 * devices, and with a factor the policy still accepts. A lock is checked
 * before (a locked user gets no decision at all).
 */
export function checkTrustedDevice(input: TrustedDeviceCheck): TrustedDeviceRefusal | null {
  const { device, token } = input;
  if (device === null || device.userId !== input.user.id) return 'unknown';
  const hash = hashTrustedDeviceSecret(input.hasher, input.user.id, token);
  if (!constantTimeEqual(hash, device.secretHash)) return 'unknown';
  if (device.expiresAt <= input.now) return 'expired';
  if (device.epoch !== input.epoch) return 'epoch';
  if (!mayTrustDevices(input.policy, input.user)) return 'policy';
  if (!factorSatisfies(input.requirement, device.factor)) return 'factor';
  return null;
}
