import { describe, expect, it } from 'vitest';
import type { MfaPolicy, MfaUser } from '../types.js';
import { createHarness, enrolTotp } from '../../test-support/mfa-harness.js';

const admin = { kind: 'admin', id: 'root' } as const;
const base: MfaPolicy = {
  requiredRoles: ['admin'],
  requiredOrgs: ['org-strict'],
  rollout: { mode: 'all' },
  grace: null,
  allowSelfUnlock: false,
};

describe('startSignIn and requirement', () => {
  it('optional and not enrolled → login, offered enrolment (seed 000: enrol or decline for now)', async () => {
    const h = createHarness();
    const user: MfaUser = { id: 'u', orgId: 'org-1', roles: ['user'] };
    expect(await h.mfa.startSignIn(user, {})).toEqual({
      next: 'login',
      reason: 'optional',
      offerEnrolment: true,
      graceRemaining: null,
      epoch: 0,
    });
    await h.mfa.declineEnrolment(user, {});
    expect(h.events.map((e) => e.type)).toEqual(['ENROLMENT_DECLINED']);
  });

  it('required by role or organisation and not enrolled → forced enrolment; decline refused', async () => {
    const h = createHarness({ policy: base });
    const byRole: MfaUser = { id: 'a', orgId: 'org-1', roles: ['user', 'admin'] };
    const byOrg: MfaUser = { id: 'b', orgId: 'org-strict', roles: ['user'] };
    expect(await h.mfa.startSignIn(byRole, {})).toEqual({ next: 'enrol', reason: 'role', epoch: 0 });
    expect(await h.mfa.startSignIn(byOrg, {})).toEqual({ next: 'enrol', reason: 'organisation', epoch: 0 });
    expect(await h.mfa.requirement(byRole)).toEqual({
      available: true,
      required: true,
      reason: 'role',
      graceRemaining: null,
    });
    await expect(h.mfa.declineEnrolment(byRole, {})).rejects.toMatchObject({ code: 'ENROLMENT_REQUIRED' });
  });

  it('enrolled → challenge with its factors (recovery while codes remain)', async () => {
    const h = createHarness();
    const user = { id: 'u' };
    await enrolTotp(h, user);
    const record = await h.backend.store.getRecord(user.id);
    expect(await h.mfa.startSignIn(user, {})).toEqual({
      next: 'challenge',
      factors: ['totp', 'recovery'],
      maskedPhone: null,
      epoch: 0,
      // Handed on to the code step (verify's `carried`): the factor as stored, secret sealed.
      carried: { totp: record?.totp, recoveryCodesRemaining: 10 },
    });
    expect(record?.totp?.sealedSecret).toEqual(expect.any(String));
  });

  it('gradual rollout: outside the rollout a user sees no MFA; inside, they do; enrolled users are always challenged', async () => {
    const h = createHarness({ policy: { ...base, rollout: { mode: 'orgs', orgs: ['org-early'] } } });
    const outside: MfaUser = { id: 'o', orgId: 'org-late', roles: ['admin'] };
    const inside: MfaUser = { id: 'i', orgId: 'org-early', roles: ['user'] };
    const noOrg: MfaUser = { id: 'n' };
    expect(await h.mfa.startSignIn(outside, {})).toMatchObject({
      next: 'login',
      reason: 'not-rolled-out',
      offerEnrolment: false,
    });
    expect(await h.mfa.requirement(noOrg)).toEqual({
      available: false,
      required: false,
      reason: 'not-rolled-out',
    });
    expect(await h.mfa.startSignIn(inside, {})).toMatchObject({
      next: 'login',
      reason: 'optional',
      offerEnrolment: true,
    });
    // Someone outside the rollout who enrolled earlier keeps their second factor.
    await enrolTotp(h, outside);
    expect(await h.mfa.startSignIn(outside, {})).toMatchObject({ next: 'challenge' });
    // Rolling out to their org (admin change) takes effect at the next sign-in.
    await h.mfa.admin.setPolicy(admin, {
      ...base,
      rollout: { mode: 'orgs', orgs: ['org-early', 'org-late'] },
    });
    expect(await h.mfa.requirement({ ...outside, id: 'x' })).toMatchObject({
      required: true,
      reason: 'role',
    });
  });

  it('grace by sign-ins: N logins with reason grace, then forced enrolment', async () => {
    const h = createHarness({ policy: { ...base, grace: { signIns: 2 } } });
    const user: MfaUser = { id: 'g', roles: ['admin'] };
    expect(await h.mfa.startSignIn(user, {})).toMatchObject({
      next: 'login',
      reason: 'grace',
      graceRemaining: { signIns: 1, until: null },
    });
    await h.mfa.declineEnrolment(user, {});
    expect(await h.mfa.startSignIn(user, {})).toMatchObject({
      next: 'login',
      graceRemaining: { signIns: 0 },
    });
    expect(await h.mfa.startSignIn(user, {})).toEqual({ next: 'enrol', reason: 'role', epoch: 0 });
    expect(await h.mfa.startSignIn(user, {})).toEqual({ next: 'enrol', reason: 'role', epoch: 0 });
  });

  it('parallel sign-ins cannot share the last grace sign-in', async () => {
    const h = createHarness({ policy: { ...base, grace: { signIns: 3 } } });
    const user: MfaUser = { id: 'g', roles: ['admin'] };
    const results = await Promise.all(Array.from({ length: 10 }, () => h.mfa.startSignIn(user, {})));
    expect(results.filter((r) => r.next === 'login')).toHaveLength(3);
    expect(results.filter((r) => r.next === 'enrol')).toHaveLength(7);
  });

  it('grace until a date: login before it, forced enrolment from then on', async () => {
    const h = createHarness();
    const until = h.clock.now() + 86_400_000;
    await h.mfa.admin.setPolicy(admin, { ...base, grace: { until } });
    const user: MfaUser = { id: 'g', orgId: 'org-strict' };
    expect(await h.mfa.startSignIn(user, {})).toMatchObject({
      next: 'login',
      reason: 'grace',
      graceRemaining: { signIns: null, until },
    });
    h.clock.set(until);
    expect(await h.mfa.startSignIn(user, {})).toEqual({ next: 'enrol', reason: 'organisation', epoch: 0 });
  });

  it('locked → refused; password cooldown → refused with retry-after', async () => {
    const h = createHarness();
    const user = { id: 'l' };
    await h.mfa.admin.lock(admin, user, { reason: 'suspicious' });
    expect(await h.mfa.startSignIn(user, {})).toEqual({
      next: 'refused',
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: null,
    });
    const other = { id: 'p' };
    for (let i = 0; i < 5; i++) await h.mfa.password.report(other, false, {});
    expect(await h.mfa.startSignIn(other, {})).toEqual({
      next: 'refused',
      code: 'COOLDOWN',
      retryAfterMs: 300_000,
    });
  });

  it('after an admin reset of a user whose role requires MFA, the next sign-in forces enrolment again', async () => {
    const h = createHarness({ policy: base });
    const user: MfaUser = { id: 'r', roles: ['admin'] };
    await enrolTotp(h, user);
    await h.mfa.admin.reset(admin, user, { reason: 'lost phone' });
    expect(await h.mfa.startSignIn(user, {})).toEqual({ next: 'enrol', reason: 'role', epoch: 1 });
  });
});

describe('password.signIn: the password report and the sign-in decision in one step', () => {
  it('decides as startSignIn does (enrolment, challenge, login) and clears the password failures', async () => {
    const h = createHarness({ policy: base });
    const plain: MfaUser = { id: 'p', orgId: 'org-1', roles: ['user'] };
    const forced: MfaUser = { id: 'f', orgId: 'org-1', roles: ['admin'] };
    const enrolled = { id: 'e' };
    await enrolTotp(h, enrolled);
    for (const user of [plain, forced, enrolled])
      expect(await h.mfa.password.signIn(user, {})).toEqual(await h.mfa.startSignIn(user, {}));

    await h.mfa.password.report(plain, false, {});
    await h.mfa.password.report(plain, false, {});
    expect((await h.mfa.password.signIn(plain, {})).next).toBe('login');
    const status = await h.backend.store.getLimiterStatus(plain.id, h.clock.now());
    expect(status.families.password?.failures ?? 0).toBe(0);
  });

  it('refuses a user cooling down after wrong passwords, and a locked user, with the report’s retryAfter', async () => {
    const h = createHarness();
    const user = { id: 'u' };
    const limit = h.mfa.options.limits.password.maxFailures;
    for (let i = 0; i < limit; i += 1) await h.mfa.password.report(user, false, {});
    const cooling = await h.mfa.password.signIn(user, {});
    expect(cooling).toMatchObject({ next: 'refused', code: 'COOLDOWN' });
    expect(cooling).toEqual({ ...(await h.mfa.startSignIn(user, {})) });

    const locked = { id: 'l' };
    await h.mfa.admin.lock(admin, locked, {});
    expect(await h.mfa.password.signIn(locked, {})).toEqual({
      next: 'refused',
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: null,
    });
  });
});
