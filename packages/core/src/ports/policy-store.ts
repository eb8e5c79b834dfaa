import type { MfaPolicy } from '../types.js';

/**
 * Where the MFA policy document lives. Changes take effect at the next
 * request or sign-in of each user because core reads the policy there.
 * Implementations may cache for at most a few seconds.
 */
export interface PolicyStore {
  /** The stored policy, or null when none was ever saved (core then uses its configured default). */
  get(): Promise<MfaPolicy | null>;
  /** Replaces the stored policy. */
  set(policy: MfaPolicy): Promise<void>;
}
