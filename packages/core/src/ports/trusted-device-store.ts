import type { TrustedDevice } from '../types.js';

/**
 * Where trusted devices ("remember this device") live, per user. Core judges
 * validity (expiry at its clock, the session epoch, policy); the store keeps
 * the records and may drop them once expired.
 *
 * Atomicity rules (checked by `runTrustedDeviceStoreConformance` from
 * `@mfa-kit/testing`):
 * - `touch` never brings back a device that `revoke` removed, whatever the
 *   interleaving (a sign-in racing a revocation can't revive the trust);
 * - `add` and its pruning are one atomic step.
 *
 * Every method rejects with `MfaError('STORE_UNAVAILABLE')` when the backend
 * can't be reached; it never resolves with a guess.
 */
export interface TrustedDeviceStore {
  /**
   * Stores a new device. In the same atomic step it drops the user's devices
   * that expired at `now` or were trusted under an epoch other than
   * `device.epoch` (dead anyway), then, above `maxPerUser`, the ones used
   * least recently.
   */
  add(device: TrustedDevice, input: { now: number; maxPerUser: number }): Promise<void>;
  /** The device, or null (never stored, revoked, or dropped). Expired devices may still be returned: core checks `expiresAt`. */
  get(userId: string, deviceId: string): Promise<TrustedDevice | null>;
  /** Every stored device of the user (in no particular order), expired ones possibly included. */
  list(userId: string): Promise<TrustedDevice[]>;
  /** Sets `lastUsedAt` if the device still exists (atomically: never recreates a revoked one). Resolves whether it existed. */
  touch(userId: string, deviceId: string, lastUsedAt: number): Promise<boolean>;
  /** Removes the device; resolves whether it existed. */
  revoke(userId: string, deviceId: string): Promise<boolean>;
}
