import type { MfaPolicy } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import { applyPolicyFlags } from './policy.js';

const base: MfaPolicy = {
  requiredRoles: ['admin', 'finance'],
  requiredOrgs: [],
  rollout: { mode: 'all' },
  grace: null,
  allowSelfUnlock: false,
};

describe('applyPolicyFlags', () => {
  it('adds and removes roles without touching the rest', () => {
    const next = applyPolicyFlags(base, { 'require-role': ['ops,qa'], 'no-require-role': ['admin'] });
    expect(next).toEqual({ ...base, requiredRoles: ['finance', 'ops', 'qa'] });
    expect(base.requiredRoles).toEqual(['admin', 'finance']);
  });

  it('switches the rollout and sets grace and self-unlock', () => {
    const next = applyPolicyFlags(base, {
      rollout: 'orgs',
      org: ['acme', 'globex', 'acme'],
      'grace-sign-ins': '3',
      'grace-until': '2026-06-01T00:00:00Z',
      'self-unlock': 'on',
    });
    expect(next.rollout).toEqual({ mode: 'orgs', orgs: ['acme', 'globex'] });
    expect(next.grace).toEqual({ signIns: 3, until: Date.UTC(2026, 5, 1) });
    expect(next.allowSelfUnlock).toBe(true);
    expect(applyPolicyFlags(next, { 'no-grace': true, rollout: 'all' })).toMatchObject({
      grace: null,
      rollout: { mode: 'all' },
    });
  });

  it.each([
    [{ rollout: 'orgs' }, /needs at least one --org/],
    [{ org: ['acme'] }, /--org needs --rollout orgs/],
    [{ rollout: 'all', org: ['acme'] }, /needs --rollout orgs/],
    [{ rollout: 'some' }, /--rollout must be all or orgs/],
    [{ 'grace-sign-ins': '-1' }, /integer 0-1000/],
    [{ 'grace-sign-ins': '2.5' }, /integer 0-1000/],
    [{ 'grace-until': 'soon' }, /not a date/],
    [{ 'no-grace': true, 'grace-sign-ins': '1' }, /conflicts/],
    [{ 'self-unlock': 'yes' }, /on or off/],
  ])('%j is a usage error', (values, message) => {
    expect(() => applyPolicyFlags(base, values)).toThrow(message);
    try {
      applyPolicyFlags(base, values);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION' });
    }
  });
});
