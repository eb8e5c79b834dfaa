import type { Mfa, TrustedDeviceInfo } from '../api.js';
import { MfaError } from '../errors.js';
import type { FactorType, TrustedDevice } from '../types.js';
import { assertActor, reasonOf } from './admin.js';
import { assertUser } from './assert-user.js';
import { mayTrustDevices } from './check-trusted-device.js';
import type { MfaContext } from './context.js';
import { describeUserAgent } from './device-label.js';
import { loadPolicy } from './requirement.js';
import { hashTrustedDeviceSecret, newTrustedDeviceToken } from './trusted-device-token.js';

const PROVEN_FACTORS: readonly string[] = ['totp', 'sms', 'recovery', 'webauthn'];

/** What users and admins see of a device: never the secret's hash. */
export function deviceInfo(device: TrustedDevice): TrustedDeviceInfo {
  const { id, createdAt, lastUsedAt, expiresAt, factor, label } = device;
  return { id, createdAt, lastUsedAt, expiresAt, factor, label };
}

function assertDeviceId(deviceId: unknown): asserts deviceId is string {
  if (typeof deviceId !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(deviceId))
    throw new MfaError('VALIDATION', { message: 'deviceId is malformed', fields: { deviceId: 'invalid' } });
}

/** `mfa.trustedDevices`: trust a browser after a second factor, list and revoke. */
export function createTrustedDevices(mfa: MfaContext): Mfa['trustedDevices'] {
  const store = mfa.backend.trustedDevices;
  return {
    async trust(user, input, ctx) {
      assertUser(user);
      const factor: unknown = input?.factor;
      if (typeof factor !== 'string' || !PROVEN_FACTORS.includes(factor))
        throw new MfaError('VALIDATION', {
          message: 'factor must be a second factor',
          fields: { factor: 'invalid' },
        });
      // A recovery code is a single-use fallback: whoever holds one (a stolen printout) gets one
      // sign-in, never 30 days of password-only sign-ins from a device it trusted.
      if (factor === 'recovery') return { ok: false, code: 'POLICY_FORBIDS' };
      const [policy, epoch] = await Promise.all([loadPolicy(mfa), mfa.backend.store.getEpoch(user.id)]);
      if (!mayTrustDevices(policy, user)) return { ok: false, code: 'POLICY_FORBIDS' };
      // A session issued under an older epoch is revoked: it can't leave a device behind.
      if (epoch !== input.epoch) return { ok: false, code: 'SESSION_EXPIRED' };
      const now = mfa.now();
      const token = newTrustedDeviceToken(mfa.options.random);
      const device: TrustedDevice = {
        id: token.id,
        userId: user.id,
        secretHash: hashTrustedDeviceSecret(mfa.hasher, user.id, token),
        createdAt: now,
        lastUsedAt: now,
        expiresAt: now + mfa.options.trustedDevices.ttlMs,
        epoch,
        factor: factor as FactorType,
        label: describeUserAgent(ctx?.userAgent),
      };
      await store.add(device, { now, maxPerUser: mfa.options.trustedDevices.maxPerUser });
      await mfa.events.emit(
        'TRUSTED_DEVICE_ADDED',
        { deviceId: device.id, factor: device.factor, label: device.label, expiresAt: device.expiresAt },
        { user, ctx },
      );
      return { ok: true, token: token.token, device: deviceInfo(device) };
    },
    async list(user) {
      assertUser(user);
      const now = mfa.now();
      const [devices, epoch] = await Promise.all([store.list(user.id), mfa.backend.store.getEpoch(user.id)]);
      // Only devices that could still skip the second factor (expired or pre-reset ones are dead).
      return devices
        .filter((device) => device.expiresAt > now && device.epoch === epoch)
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
        .map(deviceInfo);
    },
    async revoke(actor, user, deviceId, input, ctx) {
      assertActor(actor);
      assertUser(user);
      assertDeviceId(deviceId);
      const reason = reasonOf(input);
      const removed = await store.revoke(user.id, deviceId);
      if (removed)
        await mfa.events.emit('TRUSTED_DEVICE_REVOKED', { deviceId, ...reason }, { user, actor, ctx });
      return removed;
    },
  };
}
