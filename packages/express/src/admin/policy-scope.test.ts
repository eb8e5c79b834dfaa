import type { MfaPolicy } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import type { AdminContext } from './context.js';
import { isInstanceWide } from './org-scope.js';
import { mergeScopedPolicy, viewPolicy } from './policy-scope.js';

const base: MfaPolicy = {
  requiredRoles: ['admin'],
  requiredOrgs: ['org-x'],
  rollout: { mode: 'orgs', orgs: ['org-x', 'org-y'] },
  grace: { signIns: 3 },
  allowSelfUnlock: false,
};

function context(orgId: string | null, allOrgs = false): AdminContext {
  return {
    caller: { id: 'a', orgId, roles: ['admin'], mfaCompleted: true, pending: false },
    actor: { kind: 'admin', id: 'a' },
    privileges: ['mfa:policy'],
    scope: { orgId, allOrgs },
  };
}

describe('policy scope', () => {
  it('cross-org admins and admins of apps without organisations are instance-wide', () => {
    expect(isInstanceWide(context(null))).toBe(true);
    expect(isInstanceWide(context('org-y', true))).toBe(true);
    expect(isInstanceWide(context('org-y'))).toBe(false);
  });

  it('shows an organisation admin only their own organisation in the lists', () => {
    expect(viewPolicy(context('org-y'), base)).toEqual({
      ...base,
      requiredOrgs: [],
      rollout: { mode: 'orgs', orgs: ['org-y'] },
    });
  });

  it('lets an organisation admin switch only their own organisation, keeping the others', () => {
    const ctx = context('org-y');
    const seen = viewPolicy(ctx, base);
    const on = mergeScopedPolicy(ctx, base, { ...seen, requiredOrgs: ['org-y'] });
    expect(on.requiredOrgs).toEqual(['org-x', 'org-y']);
    const off = mergeScopedPolicy(ctx, base, { ...seen, rollout: { mode: 'orgs', orgs: [] } });
    expect(off.rollout).toEqual({ mode: 'orgs', orgs: ['org-x'] });
  });

  it('lets an organisation admin require phishing-resistant MFA for their own organisation only', () => {
    const ctx = context('org-y');
    const current = { ...base, phishingResistantOrgs: ['org-x'] };
    const seen = viewPolicy(ctx, current);
    expect(seen.phishingResistantOrgs).toEqual([]);
    const on = mergeScopedPolicy(ctx, current, { ...seen, phishingResistantOrgs: ['org-y'] });
    expect(on.phishingResistantOrgs).toEqual(['org-x', 'org-y']);
  });

  it.each([
    ['requiredRoles', { requiredRoles: [] }],
    ['grace', { grace: null }],
    ['allowSelfUnlock', { allowSelfUnlock: true }],
    ['rollout.mode', { rollout: { mode: 'all' } }],
    ['requiredOrgs', { requiredOrgs: ['org-x'] }],
    ['rollout.orgs', { rollout: { mode: 'orgs', orgs: ['org-z'] } }],
    ['trustedDevices.forbiddenRoles', { trustedDevices: { forbiddenRoles: ['admin'] } }],
    ['phishingResistantRoles', { phishingResistantRoles: ['admin'] }],
    ['phishingResistantOrgs', { phishingResistantOrgs: ['org-x'] }],
  ] as const)('refuses an organisation admin changing %s', (field, change) => {
    const ctx = context('org-y');
    const wanted = { ...viewPolicy(ctx, base), ...change } as MfaPolicy;
    expect(() => mergeScopedPolicy(ctx, base, wanted)).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        details: { fields: { [field]: 'Outside your organisation.' } },
      }),
    );
  });

  it('treats an unchanged grace with a different key order as unchanged', () => {
    const ctx = context('org-y');
    const current = { ...base, grace: { signIns: 3, until: 5 } };
    const wanted = { ...viewPolicy(ctx, current), grace: { until: 5, signIns: 3 } };
    expect(mergeScopedPolicy(ctx, current, wanted).grace).toEqual({ signIns: 3, until: 5 });
  });
});
