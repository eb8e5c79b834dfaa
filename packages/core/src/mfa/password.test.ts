import { describe, expect, it } from 'vitest';
import { createHarness, enrolTotp } from '../../test-support/mfa-harness.js';

const user = { id: 'pw-user', orgId: 'o' };
const ctx = { ip: '192.0.2.50' };

/** Fails the password `times` times and returns the last report. */
async function failPassword(h: ReturnType<typeof createHarness>, times: number) {
  let last = await h.mfa.password.report(user, false, ctx);
  for (let i = 1; i < times; i++) last = await h.mfa.password.report(user, false, ctx);
  return last;
}

describe('password.report', () => {
  it('password failures lead to growing cooldowns (5, 15, 45 min, then 1 h), never to a lock', async () => {
    const h = createHarness();
    await enrolTotp(h, user);
    for (let i = 1; i <= 4; i++) {
      expect(await h.mfa.password.report(user, false, ctx)).toEqual({
        ok: false,
        code: 'INVALID_CODE',
        remaining: 5 - i,
      });
    }
    const stages: number[] = [];
    const cooldown = await h.mfa.password.report(user, false, ctx);
    stages.push(cooldown.ok || cooldown.code !== 'COOLDOWN' ? -1 : cooldown.retryAfterMs);
    for (let round = 0; round < 5; round++) {
      h.clock.advance(stages.at(-1) ?? 0);
      const report = await failPassword(h, 5);
      stages.push(report.ok || report.code !== 'COOLDOWN' ? -1 : report.retryAfterMs);
    }
    expect(stages).toEqual([300_000, 900_000, 2_700_000, 3_600_000, 3_600_000, 3_600_000]);
    // A right password during the cooldown is refused; after it, the user signs in.
    expect(await h.mfa.password.report(user, true, ctx)).toMatchObject({ code: 'COOLDOWN' });
    h.clock.advance(3_600_000);
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({ ok: true });
    const { limiter } = await h.mfa.status(user);
    expect(limiter.locked).toBe(false);
    expect(limiter.consecutiveFailures).toBe(0);
  });

  it('a right password resets the cooldown growth', async () => {
    const h = createHarness();
    await failPassword(h, 5);
    h.clock.advance(300_000);
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({ ok: true });
    expect(await failPassword(h, 5)).toEqual({ ok: false, code: 'COOLDOWN', retryAfterMs: 300_000 });
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

  it('a locked account answers a wrong password like any wrong password (the lock is not revealed)', async () => {
    const h = createHarness();
    await enrolTotp(h, user);
    await h.mfa.admin.lock({ kind: 'admin', id: 'root' }, user);
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
    h.clock.advance(300_000);
    expect(await h.mfa.password.report(user, true, ctx)).toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('an unknown username is counted exactly like a known one (same answers, same retryAfter)', async () => {
    const h = createHarness();
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await h.mfa.password.report(user, false, ctx));
      unknown.push(await h.mfa.password.reportUnknownUser('  Nobody@Example.COM ', ctx));
    }
    expect(unknown).toEqual(known);
    // The same name normalised shares the count; another name has its own.
    expect(await h.mfa.password.reportUnknownUser('nobody@example.com', ctx)).toMatchObject({
      code: 'COOLDOWN',
    });
    expect(await h.mfa.password.reportUnknownUser('somebody-else', ctx)).toMatchObject({
      code: 'INVALID_CODE',
      remaining: 4,
    });
    const failed = h.events.filter((e) => e.type === 'PASSWORD_FAILED');
    expect(failed.filter((e) => e.userId === null)).toHaveLength(6);
  });

  it('unknown usernames: NFKC-normalised into one count, forgotten after 24 h, and never touching a real user', async () => {
    const h = createHarness();
    await enrolTotp(h, user);
    // Full-width letters and a ligature are the same name once NFKC-normalised.
    for (const name of ['ｎｏｂｏｄｙ', 'NOBODY', ' nobody ', 'ｎobody']) {
      expect((await h.mfa.password.reportUnknownUser(name, ctx)).ok).toBe(false);
    }
    expect(await h.mfa.password.reportUnknownUser('nobody', ctx)).toMatchObject({ code: 'COOLDOWN' });
    expect(await h.mfa.password.reportUnknownUser('ﬁnn', ctx)).toMatchObject({ remaining: 4 });
    expect(await h.mfa.password.reportUnknownUser('finn', ctx)).toMatchObject({ remaining: 3 });
    // Failures under names that match no user (a real user's id included) leave the real user untouched.
    for (let i = 0; i < 12; i++) await h.mfa.password.reportUnknownUser(user.id, ctx);
    const { limiter } = await h.mfa.status(user);
    expect(limiter.families.password).toBeUndefined();
    expect(limiter.consecutiveFailures).toBe(0);
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({ ok: true });
    // Like any limiter state, an unknown name's count is forgotten 24 h after its last failure.
    h.clock.advance(24 * 3_600_000);
    expect(await h.mfa.password.reportUnknownUser('nobody', ctx)).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      remaining: 4,
    });
  });

  it('the per-address budget never refuses a password step', async () => {
    const h = createHarness({ limits: { addressBudget: { maxFailures: 2 } } });
    const { secret } = await enrolTotp(h, user);
    for (const id of ['a', 'b']) {
      const other = { id };
      await enrolTotp(h, other);
      await h.mfa.verify(other, 'totp', '000000', ctx);
    }
    expect(await h.mfa.verify(user, 'totp', '000000', ctx)).toMatchObject({ code: 'COOLDOWN' });
    expect(await h.mfa.password.report({ id: 'c' }, true, ctx)).toEqual({ ok: true });
    expect(await h.mfa.password.report(user, true, ctx)).toEqual({ ok: true });
    expect(secret).toBeTruthy();
  });
});
