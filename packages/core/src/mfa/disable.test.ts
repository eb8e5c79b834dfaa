import { describe, expect, it } from 'vitest';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt } from '../../test-support/mfa-harness.js';

const user: MfaUser = { id: 'carla', orgId: 'clara' };

describe('disable', () => {
  it('seed 001 self-reset: sign in with one recovery code, deactivate with a different one, re-enrol', async () => {
    const h = createHarness();
    const { recoveryCodes } = await enrolTotp(h, user);
    const [first, second] = recoveryCodes as [string, string];
    expect(await h.mfa.startSignIn(user, {})).toMatchObject({ next: 'challenge' });
    expect(await h.mfa.verify(user, 'recovery', first, {})).toMatchObject({ ok: true });
    // The code used to sign in is spent and can't also prove the disable.
    expect(await h.mfa.disable(user, { factor: 'recovery', code: first }, {})).toMatchObject({
      code: 'INVALID_CODE',
    });
    expect(await h.mfa.disable(user, { factor: 'recovery', code: second }, {})).toMatchObject({ ok: true });
    expect(h.revoked).toEqual(['carla']);
    const status = await h.mfa.status(user);
    expect(status).toMatchObject({ enrolled: false, recoveryCodesRemaining: 0, epoch: 1 });
    expect(h.events.find((e) => e.type === 'DISABLED')?.details).toEqual({ factors: ['totp', 'recovery'] });
    // Re-enrol with a new app; a fresh set of recovery codes, the old ones are gone.
    expect(await h.mfa.startSignIn(user, {})).toMatchObject({
      next: 'login',
      offerEnrolment: true,
      epoch: 1,
    });
    const again = await enrolTotp(h, user);
    expect(again.recoveryCodes).not.toContain(recoveryCodes[2]);
    expect(await h.mfa.verify(user, 'recovery', recoveryCodes[2], {})).toMatchObject({
      code: 'INVALID_CODE',
    });
  });

  it('refused with POLICY_FORBIDS when policy requires MFA; nothing is consumed', async () => {
    const h = createHarness({ policy: { requiredOrgs: ['clara'] } });
    const { recoveryCodes } = await enrolTotp(h, user);
    expect(await h.mfa.disable(user, { factor: 'recovery', code: recoveryCodes[0] }, {})).toEqual({
      ok: false,
      code: 'POLICY_FORBIDS',
    });
    expect((await h.mfa.status(user)).recoveryCodesRemaining).toBe(10);
    expect(h.revoked).toEqual([]);
  });

  it('a wrong proof counts toward the limiter and disables nothing', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, user);
    expect(await h.mfa.disable(user, { factor: 'totp', code: '000000' }, {})).toMatchObject({
      code: 'INVALID_CODE',
    });
    expect((await h.mfa.status(user)).enrolled).toBe(true);
    expect(
      await h.mfa.disable(user, { factor: 'totp', code: totpAt(secret, h.clock.now()) }, {}),
    ).toMatchObject({
      ok: true,
    });
  });
});
