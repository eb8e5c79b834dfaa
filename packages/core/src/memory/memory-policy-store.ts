import type { PolicyStore } from '../ports/policy-store.js';
import type { MfaPolicy } from '../types.js';

/**
 * An in-process {@link PolicyStore}. The policy is deep-copied on the way in
 * and out, so a caller mutating its object can't change the stored policy.
 */
export function createMemoryPolicyStore(): PolicyStore {
  let policy: MfaPolicy | null = null;
  return {
    async get() {
      return policy === null ? null : structuredClone(policy);
    },
    async set(next) {
      policy = structuredClone(next);
    },
  };
}
