import { describe, expect, it } from 'vitest';
import { isMfaError } from '../errors.js';
import type { MfaPolicy, MfaUser } from '../types.js';
import { parseOrgId } from './org-id.js';
import { createHarness } from '../../test-support/mfa-harness.js';

const MALFORMED: unknown[] = [42, 0, '', 'x'.repeat(201), { id: 'acme' }, ['acme'], true];

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isMfaError(error)) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('organisation ids', () => {
  it('parseOrgId keeps an id, reads null/undefined as "no organisation" and refuses anything else', () => {
    expect(parseOrgId('acme', 'orgId', 'CONFIGURATION')).toBe('acme');
    expect(parseOrgId(null, 'orgId', 'CONFIGURATION')).toBeUndefined();
    expect(parseOrgId(undefined, 'orgId', 'CONFIGURATION')).toBeUndefined();
    for (const value of MALFORMED) {
      let caught: unknown;
      try {
        parseOrgId(value, 'req.user.orgId', 'CONFIGURATION');
      } catch (error) {
        caught = error;
      }
      expect(isMfaError(caught, 'CONFIGURATION'), String(value)).toBe(true);
      expect((caught as { details: { fields: object } }).details.fields).toEqual({
        'req.user.orgId': 'invalid',
      });
    }
  });

  it('a user whose orgId is the number 42 is refused, not treated as outside every organisation', async () => {
    // Before: { orgId: 42 } missed `requiredOrgs: ['42']` and the rollout, so MFA was silently not required.
    const h = createHarness({
      policy: { requiredOrgs: ['42'], rollout: { mode: 'orgs', orgs: ['42'] } },
    });
    const user = { id: 'numeric-org', orgId: 42 } as unknown as MfaUser;
    expect(await codeOf(() => h.mfa.requirement(user))).toBe('VALIDATION');
    expect(await codeOf(() => h.mfa.startSignIn(user, {}))).toBe('VALIDATION');
    expect(await codeOf(() => h.mfa.status(user))).toBe('VALIDATION');
    for (const orgId of [undefined, null]) {
      const absent = { id: 'no-org', orgId } as unknown as MfaUser;
      expect(await h.mfa.requirement(absent)).toMatchObject({ reason: 'not-rolled-out' });
    }
  });

  it('a policy with a numeric org id is refused whole (CONFIGURATION from options, VALIDATION from an admin)', async () => {
    const h = createHarness();
    const admin = { kind: 'admin', id: 'boss' } as const;
    const base: MfaPolicy = await h.mfa.admin.getPolicy();
    const bad: unknown[] = [
      { ...base, requiredOrgs: ['acme', 42] },
      { ...base, requiredOrgs: [''] },
      { ...base, rollout: { mode: 'orgs', orgs: [42] } },
    ];
    for (const policy of bad) {
      expect(await codeOf(() => h.mfa.admin.setPolicy(admin, policy as MfaPolicy, {}))).toBe('VALIDATION');
      expect(await codeOf(() => createHarness({ policy: policy as MfaPolicy }))).toBe('CONFIGURATION');
    }
    expect(await h.mfa.admin.getPolicy()).toEqual(base);
  });
});
