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

    it('compareAndSet writes only at the version read, and every write changes the version', async () => {
      const store = await makeStore();
      const none = await store.getVersioned();
      expect(none.policy).toBeNull();
      expect(await store.compareAndSet(none.version, POLICY)).toBe(true);
      const first = await store.getVersioned();
      expect(first.policy).toEqual(POLICY);
      expect(first.version).not.toBe(none.version);
      // A writer still holding the old version lost: nothing written.
      expect(await store.compareAndSet(none.version, { ...POLICY, allowSelfUnlock: false })).toBe(false);
      expect(await store.get()).toEqual(POLICY);
      // A plain set moves the version too.
      await store.set({ ...POLICY, requiredRoles: ['admin'] });
      expect(await store.compareAndSet(first.version, POLICY)).toBe(false);
      expect((await store.get())?.requiredRoles).toEqual(['admin']);
    });

    it('compareAndSet from one version by 20 writers at once: exactly one wins', async () => {
      const store = await makeStore();
      await store.set(POLICY);
      const { version } = await store.getVersioned();
      const writes = Array.from({ length: 20 }, (_, i) => ({ ...POLICY, requiredRoles: [`role-${i}`] }));
      const won = await Promise.all(writes.map((policy) => store.compareAndSet(version, policy)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await store.get()).toEqual(writes[won.indexOf(true)]);
    });
  });
}
