import type { PolicyStore } from '../ports/policy-store.js';
import type { MfaPolicy } from '../types.js';

/**
 * An in-process {@link PolicyStore}. The policy is deep-copied on the way in
 * and out, so a caller mutating its object can't change the stored policy.
 * Its version is a write counter (single-threaded: compare and set can't
 * interleave).
 */
export function createMemoryPolicyStore(): PolicyStore {
  let policy: MfaPolicy | null = null;
  let writes = 0;
  return {
    async get() {
      return policy === null ? null : structuredClone(policy);
    },
    async getVersioned() {
      return { policy: policy === null ? null : structuredClone(policy), version: String(writes) };
    },
    async compareAndSet(version, next) {
      if (version !== String(writes)) return false;
      policy = structuredClone(next);
      writes += 1;
      return true;
    },
    async set(next) {
      policy = structuredClone(next);
      writes += 1;
    },
  };
}
