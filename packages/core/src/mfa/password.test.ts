import { describe, expect, it } from 'vitest';
import { createHarness, enrolTotp, totpAt } from './test-fixture.js';

const user = { id: 'pw-user', orgId: 'o' };
const ctx = { ip: '192.0.2.50' };

describe('password.report', () => {
  it('password failures cool down at 5 and share the account lock with second factors', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, user);
    for (let i = 1; i <= 4; i++) {
      expect(await h.mfa.password.report(user, false, ctx)).toEqual({
        ok: false,
        code: 'INVALID_CODE',
        remaining: 5 - i,
      });
    }
    expect(await h.mfa.password.report(user, false, ctx)).toEqual({
      ok: false,
      code: 'COOLDOWN',
      retryAfterMs: 300_000,
    });
    // A right password during the cooldown is refused too.
    expect(await h.mfa.password.report(user, true, ctx)).toMatchObject({ code: 'COOLDOWN' });
    expect(h.events.filter((e) => e.type === 'PASSWORD_FAILED')).toHaveLength(5);
    // 5 TOTP failures more reach the shared lock at 10.
    h.clock.advance(300_001);
    for (let i = 0; i < 4; i++) await h.mfa.verify(user, 'totp', '000000', ctx);
    expect(await h.mfa.verify(user, 'totp', '000000', ctx)).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({
      ok: false,
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: null,
    });
    expect(secret).toBeTruthy();
  });

  it('a success resets the consecutive count', async () => {
    const h = createHarness();
    for (let i = 0; i < 4; i++) await h.mfa.password.report(user, false, ctx);
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({ ok: true });
    expect((await h.mfa.status(user)).limiter.consecutiveFailures).toBe(0);
  });

  it('a right password of an enrolled user does not reset the lock count (no endless guessing)', async () => {
    const h = createHarness();
    await enrolTotp(h, user);
    // An attacker who knows the password guesses codes, waits out each cooldown, and re-enters the password.
    for (let round = 0; round < 2; round++) {
      expect(await h.mfa.password.report(user, true, ctx)).toEqual({ ok: true });
      for (let i = 0; i < 5; i++) await h.mfa.verify(user, 'totp', '000000', ctx);
      h.clock.advance(300_001);
    }
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({
      ok: false,
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: null,
    });
  });

  it('a right password clears the password failures of an enrolled user but keeps the consecutive count', async () => {
    const h = createHarness();
    await enrolTotp(h, user);
    for (let i = 0; i < 4; i++) await h.mfa.password.report(user, false, ctx);
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({ ok: true });
    const { limiter } = await h.mfa.status(user);
    expect(limiter.consecutiveFailures).toBe(4);
    expect(limiter.families.password?.failures ?? 0).toBe(0);
  });

  it('password failures count against the per-IP budget', async () => {
    const h = createHarness({ limits: { ipFailuresPerDay: 2 } });
    await h.mfa.password.report({ id: 'a' }, false, ctx);
    await h.mfa.password.report({ id: 'b' }, false, ctx);
    expect(await h.mfa.password.report({ id: 'c' }, true, ctx)).toMatchObject({
      ok: false,
      code: 'COOLDOWN',
    });
    expect(await h.mfa.password.report({ id: 'c' }, true, { ip: '192.0.2.51' })).toEqual({ ok: true });
    const { secret } = await enrolTotp(h, user);
    expect(await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), ctx)).toMatchObject({
      code: 'COOLDOWN',
    });
  });
});
