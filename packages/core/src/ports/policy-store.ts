import type { MfaPolicy } from '../types.js';

/** The stored policy with the version a {@link PolicyStore.compareAndSet} must name. */
export interface VersionedPolicy {
  /** The stored policy, or null when none was ever saved. */
  policy: MfaPolicy | null;
  /** Opaque; changes with every write (any string for "none saved yet" is fine). */
  version: string;
}

/**
 * Where the MFA policy document lives. Changes take effect at the next
 * request or sign-in of each user because core reads the policy there.
 * `get` may cache for at most a few seconds; `getVersioned` never does.
 *
 * Edits are compare-and-set (`getVersioned`, then `compareAndSet`): an
 * organisation admin's edit is computed from the policy it replaces, and a
 * concurrent edit by another admin must never be silently undone by it.
 */
export interface PolicyStore {
  /** The stored policy, or null when none was ever saved (core then uses its configured default). */
  get(): Promise<MfaPolicy | null>;
  /** The stored policy and its version, read from the store itself (no cache). */
  getVersioned(): Promise<VersionedPolicy>;
  /**
   * Replaces the policy only if it is still at `version`, atomically (no
   * write may land between the comparison and the replacement); false, with
   * nothing written, when another write came first.
   */
  compareAndSet(version: string, policy: MfaPolicy): Promise<boolean>;
  /** Replaces the stored policy whatever it is (seeding, tests); edits use {@link PolicyStore.compareAndSet}. */
  set(policy: MfaPolicy): Promise<void>;
}
