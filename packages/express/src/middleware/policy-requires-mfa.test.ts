import { type MfaPolicy, createMemoryBackend, createMfa } from '@mfa-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyRequiresMfa } from './policy-requires-mfa.js';

const ROLES = ['admin', 'user', 'ops'];
const ORGS = ['o1', 'o2', 'o3'];
const NOW = Date.UTC(2026, 5, 1);

const policyArb: fc.Arbitrary<MfaPolicy> = fc.record({
  requiredRoles: fc.subarray(ROLES),
  requiredOrgs: fc.subarray(ORGS),
  rollout: fc.oneof(
    fc.constant({ mode: 'all' as const }),
    fc.subarray(ORGS).map((orgs) => ({ mode: 'orgs' as const, orgs })),
  ),
  grace: fc.oneof(
    fc.constant(null),
    fc.integer({ min: -3, max: 3 }).map((hours) => ({ until: NOW + hours * 3_600_000 + 1 })),
  ),
  allowSelfUnlock: fc.boolean(),
});
const userArb = fc.record({
  id: fc.constantFrom('u1', 'u2'),
  roles: fc.subarray(ROLES),
  orgId: fc.option(fc.constantFrom(...ORGS), { nil: undefined }),
});

describe('policyRequiresMfa', () => {
  it('agrees with core about whether MFA is required, for any policy and user', async () => {
    const mfa = createMfa({
      backend: createMemoryBackend(),
      encryption: { keys: { k: Buffer.alloc(32, 2) }, currentKeyId: 'k' },
      hashKey: 'policy-drift-test-hash-key-of-32-bytes-or-more',
      issuer: 'Unit',
      clock: { now: () => NOW },
    });
    await fc.assert(
      fc.asyncProperty(policyArb, userArb, async (policy, user) => {
        await mfa.admin.setPolicy({ kind: 'admin', id: 'test' }, policy);
        const requirement = await mfa.requirement(user);
        const verdict = policyRequiresMfa(await mfa.admin.getPolicy(), user, NOW);
        expect(verdict !== 'not-required').toBe(requirement.required);
        if (requirement.required) {
          const grace = requirement.graceRemaining;
          const open = grace !== null && (grace.until === null || grace.until > NOW);
          expect(verdict === 'required-in-grace').toBe(open);
        }
      }),
      { numRuns: 300 },
    );
  });
});
