import { describe, expect, it } from 'vitest';
import type { MfaPolicy, PolicyStore } from '@mfa-kit/core';
import type { MakeStore } from './conformance-fixtures.js';

const POLICY: MfaPolicy = {
  requiredRoles: ['admin', 'billing'],
  requiredOrgs: ['org-1'],
  rollout: { mode: 'orgs', orgs: ['org-1', 'org-2'] },
  grace: { signIns: 3, until: 1_800_000_000_000 },
  allowSelfUnlock: true,
};

/**
 * Registers vitest tests proving that a {@link PolicyStore} returns null
 * until a policy is saved and then returns exactly what was saved.
 * `makeStore` must return an isolated store per call.
 *
 * @example
 * runPolicyStoreConformance('memory', () => createMemoryPolicyStore());
 */
export function runPolicyStoreConformance(name: string, makeStore: MakeStore<PolicyStore>): void {
  describe(`PolicyStore conformance: ${name}`, () => {
    it('returns null when no policy was ever saved', async () => {
      const store = await makeStore();
      expect(await store.get()).toBeNull();
    });

    it('round-trips a policy and replaces it on the next set', async () => {
      const store = await makeStore();
      await store.set(POLICY);
      expect(await store.get()).toEqual(POLICY);
      const next: MfaPolicy = {
        requiredRoles: [],
        requiredOrgs: [],
        rollout: { mode: 'all' },
        grace: null,
        allowSelfUnlock: false,
      };
      await store.set(next);
      expect(await store.get()).toEqual(next);
    });

    it('keeps the stored policy apart from the caller’s objects', async () => {
      const store = await makeStore();
      const policy = structuredClone(POLICY);
      await store.set(policy);
      policy.requiredRoles.push('changed-after-set');
      const read = await store.get();
      read?.requiredOrgs.push('changed-after-get');
      expect(await store.get()).toEqual(POLICY);
    });
  });
}
