import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isMfaError, MfaError } from '../errors.js';
import { addressKey } from '../index.js';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt, wrongTotp } from '../../test-support/mfa-harness.js';

const alice: MfaUser = { id: 'alice', orgId: 'org-1', roles: ['user'] };
const ctx = { ip: '203.0.113.7', userAgent: 'test' };

describe('verify: TOTP', () => {
  it('accepts the current code once, then rejects it as a replay', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    const code = totpAt(secret, h.clock.now());
    expect(await h.mfa.verify(alice, 'totp', code, ctx)).toEqual({
      ok: true,
      factor: 'totp',
      recoveryCodesRemaining: 10,
    });
    expect(await h.mfa.verify(alice, 'totp', code, ctx)).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      remaining: 4,
    });
    const failed = h.events.filter((e) => e.type === 'VERIFICATION_FAILED');
    expect(failed.at(-1)?.details).toEqual({ factor: 'totp', reason: 'replay' });
  });

  it('accepts a code from a phone one step behind (window ±1) but not two', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    h.clock.advance(60_000); // past the steps burnt by enrolment
    expect((await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now() - 60_000), ctx)).ok).toBe(false);
    expect((await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now() - 30_000), ctx)).ok).toBe(true);
  });

  it('brute force: cooldown at exactly the 5th failure, account lock at the 10th', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    const wrong = wrongTotp(secret, h.clock.now());
    for (let i = 1; i <= 4; i++) {
      expect(await h.mfa.verify(alice, 'totp', wrong, ctx)).toEqual({
        ok: false,
        code: 'INVALID_CODE',
        remaining: 5 - i,
      });
    }
    const fifth = await h.mfa.verify(alice, 'totp', wrong, ctx);
    expect(fifth).toEqual({ ok: false, code: 'COOLDOWN', retryAfterMs: 300_000 });
    // While cooling down, even the right code is refused and nothing is counted.
    const refused = await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx);
    expect(refused.ok).toBe(false);
    expect(refused).toMatchObject({ code: 'COOLDOWN' });
    expect(h.events.filter((e) => e.type === 'COOLDOWN_ACTIVATED')).toHaveLength(1);

    h.clock.advance(300_001);
    for (let i = 6; i <= 9; i++) {
      expect((await h.mfa.verify(alice, 'totp', wrong, ctx)) as { code: string }).toMatchObject({
        code: 'INVALID_CODE',
      });
    }
    const tenth = await h.mfa.verify(alice, 'totp', wrong, ctx);
    expect(tenth).toEqual({ ok: false, code: 'ACCOUNT_LOCKED', retryAfterMs: null });
    const locks = h.events.filter((e) => e.type === 'ACCOUNT_LOCK');
    expect(locks).toHaveLength(1);
    expect(locks[0]?.details).toMatchObject({ reason: 'failures', family: 'totp', until: null });

    // A locked account refuses the right code too, forever (permanent mode), and records no second lock event.
    h.clock.advance(86_400_000);
    const later = await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx);
    expect(later).toEqual({ ok: false, code: 'ACCOUNT_LOCKED', retryAfterMs: null });
    expect(h.events.filter((e) => e.type === 'ACCOUNT_LOCK')).toHaveLength(1);
    expect((await h.mfa.status(alice)).limiter.locked).toBe(true);
  });

  it('a success resets the consecutive-failure count', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    const wrong = wrongTotp(secret, h.clock.now());
    for (let i = 0; i < 4; i++) await h.mfa.verify(alice, 'totp', wrong, ctx);
    expect((await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx)).ok).toBe(true);
    expect(await h.mfa.verify(alice, 'totp', wrong, ctx)).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      remaining: 4,
    });
  });

  it('records the ACCOUNT_LOCK event later when appending it failed (lock never enforced without its event)', async () => {
    const h = createHarness({ limits: { lock: { maxConsecutiveFailures: 3 } } });
    const { secret } = await enrolTotp(h, alice);
    const wrong = wrongTotp(secret, h.clock.now());
    await h.mfa.verify(alice, 'totp', wrong, ctx);
    await h.mfa.verify(alice, 'totp', wrong, ctx);
    const append = h.backend.events.append.bind(h.backend.events);
    h.backend.events.append = async (event) => {
      if (event.type === 'ACCOUNT_LOCK') throw new Error('log down');
      return append(event);
    };
    await expect(h.mfa.verify(alice, 'totp', wrong, ctx)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(h.events.filter((e) => e.type === 'ACCOUNT_LOCK')).toHaveLength(0);
    h.backend.events.append = append;
    expect(await h.mfa.verify(alice, 'totp', wrong, ctx)).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(h.events.filter((e) => e.type === 'ACCOUNT_LOCK')).toHaveLength(1);
    await h.mfa.verify(alice, 'totp', wrong, ctx);
    expect(h.events.filter((e) => e.type === 'ACCOUNT_LOCK')).toHaveLength(1);
  });

  it("successEvent 'started': a success is answered with the event's append as recorded, whose failure is STORE_UNAVAILABLE", async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    const append = h.backend.events.append.bind(h.backend.events);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.backend.events.append = async (event) => {
      if (event.type !== 'VERIFICATION_SUCCEEDED') return append(event);
      await held;
      throw new Error('log down');
    };
    // verify answers while the append is still under way; the caller awaits `recorded` beside its own writes.
    const result = await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx, {
      successEvent: 'started',
    });
    expect(result).toMatchObject({ ok: true, factor: 'totp' });
    const recorded = (result as { recorded?: Promise<void> }).recorded;
    expect(recorded).toBeInstanceOf(Promise);
    release();
    await expect(recorded).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    // Without the option the event is recorded before verify answers, and its failure rejects verify.
    h.clock.advance(30_000);
    await expect(h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });

  it('hostile input is a typed INVALID_CODE, never a throw', async () => {
    const h = createHarness({
      limits: { totp: { maxFailures: 100 }, lock: { maxConsecutiveFailures: 100 } },
    });
    await enrolTotp(h, alice);
    const inputs: unknown[] = [
      123456,
      null,
      undefined,
      { code: '123456' },
      ['123456'],
      '1234567',
      '١٢٣٤٥٦',
      '１２３４５６',
      'x'.repeat(10_240),
      '',
      '12345\u0000',
    ];
    for (const input of inputs) {
      const result = await h.mfa.verify(alice, 'totp', input, ctx);
      expect(result).toMatchObject({ ok: false, code: 'INVALID_CODE' });
    }
  });

  it('not enrolled → NOT_ENROLLED and nothing counted', async () => {
    const h = createHarness();
    expect(await h.mfa.verify(alice, 'totp', '123456', ctx)).toEqual({ ok: false, code: 'NOT_ENROLLED' });
    expect(await h.mfa.verify(alice, 'sms', '123456', ctx)).toEqual({ ok: false, code: 'NOT_ENROLLED' });
    expect(await h.mfa.verify(alice, 'recovery', 'aaaa-bbbb-cccc-dddd', ctx)).toEqual({
      ok: false,
      code: 'NOT_ENROLLED',
    });
    expect(await h.mfa.verify(alice, 'bogus' as 'totp', '123456', ctx)).toEqual({
      ok: false,
      code: 'NOT_ENROLLED',
    });
    expect((await h.mfa.status(alice)).limiter.consecutiveFailures).toBe(0);
  });

  it('per-address budget: wrong codes across many users use it up, then no code from that address is evaluated', async () => {
    const h = createHarness({ limits: { addressBudget: { maxFailures: 3, windowMs: 600_000 } } });
    const users = ['u1', 'u2', 'u3', 'u4'].map((id) => ({ id }));
    const secrets: string[] = [];
    for (const user of users) secrets.push((await enrolTotp(h, user)).secret);
    // A success gives its slot back (refund), so it never counts.
    expect((await h.mfa.verify(users[3]!, 'totp', totpAt(secrets[3]!, h.clock.now()), ctx)).ok).toBe(true);
    for (let i = 0; i < 3; i++) {
      const user = users[i]!;
      expect(await h.mfa.verify(user, 'totp', wrongTotp(secrets[i]!, h.clock.now()), ctx)).toMatchObject({
        code: 'INVALID_CODE',
      });
    }
    expect(h.events.filter((e) => e.type === 'IP_BLOCKED')).toHaveLength(1);
    h.clock.advance(30_000);
    const fourth = await h.mfa.verify(users[3]!, 'totp', totpAt(secrets[3]!, h.clock.now()), ctx);
    expect(fourth).toMatchObject({ ok: false, code: 'COOLDOWN' });
    // Refused without evaluation: the user's own counters are untouched.
    expect((await h.mfa.status(users[3]!)).limiter.families.totp?.failures ?? 0).toBe(0);
    // Another address is unaffected; the same /64 is not another address.
    expect(
      (await h.mfa.verify(users[3]!, 'totp', totpAt(secrets[3]!, h.clock.now()), { ip: '198.51.100.1' })).ok,
    ).toBe(true);
    // Sliding window: the refusal ends by itself when the oldest failure leaves the window.
    h.clock.advance(600_000);
    expect((await h.mfa.verify(users[3]!, 'totp', totpAt(secrets[3]!, h.clock.now()), ctx)).ok).toBe(true);
  });

  it('a code matching the carried factor: an address over budget is refused unevaluated; a replay takes a slot; a success takes none', async () => {
    const h = createHarness({ limits: { addressBudget: { maxFailures: 2, windowMs: 600_000 } } });
    const { secret } = await enrolTotp(h, alice);
    h.clock.advance(60_000);
    const decision = await h.mfa.startSignIn(alice, ctx);
    if (decision.next !== 'challenge') throw new Error(`expected a challenge, got ${decision.next}`);
    const { carried } = decision;
    const budget = () =>
      h.backend.counters.available(`addr:${ctx.ip}`, { limit: 2, windowMs: 600_000 }, h.clock.now());
    const code = totpAt(secret, h.clock.now());

    expect(await h.mfa.verify(alice, 'totp', code, ctx, { carried })).toEqual({
      ok: true,
      factor: 'totp',
      recoveryCodesRemaining: 10,
    });
    expect((await budget()).count).toBe(0);
    // The same code again matches the carried factor but is a replay: evaluated, refused, and charged.
    expect(await h.mfa.verify(alice, 'totp', code, ctx, { carried })).toMatchObject({ code: 'INVALID_CODE' });
    expect((await budget()).count).toBe(1);
    expect(
      await h.mfa.verify(alice, 'totp', wrongTotp(secret, h.clock.now()), ctx, { carried }),
    ).toMatchObject({
      code: 'INVALID_CODE',
    });
    expect(h.events.filter((e) => e.type === 'IP_BLOCKED')).toHaveLength(1);
    // Full: the next step's correct code is refused before any evaluation (its step stays unspent).
    h.clock.advance(30_000);
    const next = totpAt(secret, h.clock.now());
    expect(await h.mfa.verify(alice, 'totp', next, ctx, { carried })).toMatchObject({ code: 'COOLDOWN' });
    expect((await h.mfa.status(alice)).limiter.families.totp?.failures).toBe(2);
    expect((await h.mfa.verify(alice, 'totp', next, { ip: '198.51.100.1' }, { carried })).ok).toBe(true);
  });

  it('per-address budget groups IPv6 by /64 and can be cleared by an admin', async () => {
    const h = createHarness({ limits: { addressBudget: { maxFailures: 2 } } });
    const { secret } = await enrolTotp(h, alice);
    await h.mfa.verify(alice, 'totp', wrongTotp(secret, h.clock.now()), { ip: '2001:db8:1:2::1' });
    await h.mfa.verify(alice, 'totp', wrongTotp(secret, h.clock.now()), { ip: '2001:db8:1:2:ffff::9' });
    h.clock.advance(30_000);
    expect(
      await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), { ip: '2001:db8:1:2:abcd::1' }),
    ).toMatchObject({ code: 'COOLDOWN' });
    expect(
      (await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), { ip: '2001:db8:1:3::1' })).ok,
    ).toBe(true);
    h.clock.advance(30_000);
    const cleared = await h.mfa.admin.clearAddress({ kind: 'admin', id: 'root' }, '2001:db8:1:2::77');
    expect(cleared).toEqual({ address: '2001:db8:1:2:0:0:0:0/64' });
    expect(
      (await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), { ip: '2001:db8:1:2::1' })).ok,
    ).toBe(true);
    expect(h.events.filter((e) => e.type === 'ADMIN_ADDRESS_CLEARED')).toHaveLength(1);
  });

  it("per-address budget: the README's office exemption (key → null) exempts that address only; addressKey keeps /64 grouping", async () => {
    const OFFICE = '198.51.100.10';
    const h = createHarness({
      limits: {
        addressBudget: {
          maxFailures: 2,
          key: (c) => (c.ip === OFFICE ? null : c.ip ? addressKey(c.ip, 64) : null),
        },
      },
    });
    const users = ['o1', 'o2', 'o3', 'o4'].map((id) => ({ id }));
    const secrets: string[] = [];
    for (const user of users) secrets.push((await enrolTotp(h, user)).secret);
    // Four wrong codes from the office: each user's own count moves, the address is never refused.
    for (let i = 0; i < 4; i++) {
      const wrong = await h.mfa.verify(users[i]!, 'totp', wrongTotp(secrets[i]!, h.clock.now()), {
        ip: OFFICE,
      });
      expect(wrong).toMatchObject({ code: 'INVALID_CODE', remaining: 4 });
    }
    expect(h.events.filter((e) => e.type === 'IP_BLOCKED')).toHaveLength(0);
    // Any other address still has a budget, grouped by /64.
    for (const ip of ['2001:db8:5:6::1', '2001:db8:5:6::2'])
      await h.mfa.verify(users[0]!, 'totp', wrongTotp(secrets[0]!, h.clock.now()), { ip });
    h.clock.advance(30_000);
    expect(
      await h.mfa.verify(users[1]!, 'totp', totpAt(secrets[1]!, h.clock.now()), { ip: '2001:db8:5:6::3' }),
    ).toMatchObject({ code: 'COOLDOWN' });
    expect(
      (await h.mfa.verify(users[1]!, 'totp', totpAt(secrets[1]!, h.clock.now()), { ip: OFFICE })).ok,
    ).toBe(true);
  });

  it('per-address budget: retryAfter is when the oldest failure leaves the window, and slots come back one at a time', async () => {
    const h = createHarness({ limits: { addressBudget: { maxFailures: 3, windowMs: 600_000 } } });
    const users = ['w1', 'w2', 'w3', 'w4', 'w5'].map((id) => ({ id }));
    const secrets: string[] = [];
    for (const user of users) secrets.push((await enrolTotp(h, user)).secret);
    const wrong = (i: number) => h.mfa.verify(users[i]!, 'totp', wrongTotp(secrets[i]!, h.clock.now()), ctx);
    for (let i = 0; i < 3; i++) {
      expect(await wrong(i)).toMatchObject({ code: 'INVALID_CODE' });
      h.clock.advance(100_000); // failures at 0, 100 s, 200 s
    }
    // At 300 s: the oldest failure (0 s) leaves the window at 600 s.
    expect(await wrong(3)).toEqual({ ok: false, code: 'COOLDOWN', retryAfterMs: 300_000 });
    h.clock.advance(300_000);
    // At 600 s one slot is free: one evaluation, then the next oldest (100 s) decides: 700 s.
    expect(await wrong(3)).toMatchObject({ code: 'INVALID_CODE' });
    expect(await wrong(4)).toEqual({ ok: false, code: 'COOLDOWN', retryAfterMs: 100_000 });
  });

  it('store failure → STORE_UNAVAILABLE (fail closed), never a success', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    h.backend.store.attempt = async () => {
      throw new Error('ECONNREFUSED');
    };
    const error = await h.mfa
      .verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx)
      .catch((e: unknown) => e);
    expect(isMfaError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect((error as MfaError).cause).toBeInstanceOf(Error);
    expect(h.events.some((e) => e.type === 'VERIFICATION_SUCCEEDED')).toBe(false);
  });

  it('a wrong key ring gives KEY_UNAVAILABLE, not garbage', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    const record = await h.backend.store.getRecord(alice.id);
    // Move alice's sealed secret to bob: the associated data binds it to alice.
    await h.backend.store.setTotp('bob', record!.totp!);
    const error = await h.mfa
      .verify({ id: 'bob' }, 'totp', totpAt(secret, h.clock.now()), ctx)
      .catch((e) => e);
    expect(error).toBeInstanceOf(MfaError);
    expect((error as MfaError).code).toBe('KEY_UNAVAILABLE');
  });
});

describe('verify: recovery codes', () => {
  it('each code works once; remaining counts down; RECOVERY_CODE_USED carries no code', async () => {
    const h = createHarness();
    const { recoveryCodes } = await enrolTotp(h, alice);
    const [first, second] = recoveryCodes as [string, string];
    expect(await h.mfa.verify(alice, 'recovery', first.toUpperCase().replace(/-/g, ' '), ctx)).toEqual({
      ok: true,
      factor: 'recovery',
      recoveryCodesRemaining: 9,
    });
    expect(await h.mfa.verify(alice, 'recovery', first, ctx)).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
    });
    expect(await h.mfa.verify(alice, 'recovery', second, ctx)).toMatchObject({
      ok: true,
      recoveryCodesRemaining: 8,
    });
    const used = h.events.filter((e) => e.type === 'RECOVERY_CODE_USED');
    expect(used.map((e) => e.details)).toEqual([{ remaining: 9 }, { remaining: 8 }]);
  });

  it('the same code in 20 parallel verify calls → exactly one success', async () => {
    const h = createHarness({
      limits: { recovery: { maxFailures: 50 }, lock: { maxConsecutiveFailures: 50 } },
    });
    const { recoveryCodes } = await enrolTotp(h, alice);
    const code = recoveryCodes[0]!;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => h.mfa.verify(alice, 'recovery', code, ctx)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'INVALID_CODE')).toHaveLength(19);
    expect((await h.mfa.status(alice)).recoveryCodesRemaining).toBe(9);
  });

  it('a malformed code still counts as a failure (reason malformed)', async () => {
    const h = createHarness();
    await enrolTotp(h, alice);
    for (const input of ['not-a-code', 42, 'x'.repeat(10_240), '🔑🔑🔑🔑']) {
      expect(await h.mfa.verify(alice, 'recovery', input, ctx)).toMatchObject({
        ok: false,
        code: 'INVALID_CODE',
      });
    }
    const failures = h.events.filter((e) => e.type === 'VERIFICATION_FAILED');
    expect(failures.map((e) => e.details)).toEqual(
      Array.from({ length: 4 }, () => ({ factor: 'recovery', reason: 'malformed' })),
    );
    expect((await h.mfa.status(alice)).limiter.consecutiveFailures).toBe(4);
  });

  it("another user's recovery code does not work (hashes are bound to the user)", async () => {
    const h = createHarness();
    const bob = { id: 'bob' };
    await enrolTotp(h, alice);
    const { recoveryCodes } = await enrolTotp(h, bob);
    expect(await h.mfa.verify(alice, 'recovery', recoveryCodes[0], ctx)).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
    });
  });
});

describe('verify: property', () => {
  it('any input to any factor resolves to a typed failure, never a throw or a success', async () => {
    // Budgets high enough that every run is evaluated (not refused by a cooldown or lock).
    const many = { maxFailures: 1000 };
    const h = createHarness({
      limits: { totp: many, sms: many, recovery: many, lock: { maxConsecutiveFailures: 100 } },
    });
    const user = { id: 'prop' };
    await enrolTotp(h, user);
    await h.mfa.sms.beginEnrolment(user, '+14155550100', {});
    await h.mfa.sms.confirmEnrolment(user, h.sms.lastCode(), {});

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('totp' as const, 'sms' as const, 'recovery' as const),
        fc.oneof(fc.anything(), fc.string({ maxLength: 64 }), fc.stringMatching(/^[0-9 -]{0,12}$/)),
        async (factor, input) => {
          const result = await h.mfa.verify(user, factor, input, {});
          expect(result).toMatchObject({ ok: false, code: 'INVALID_CODE' });
        },
      ),
      { numRuns: 90 },
    );
  });
});

describe('verify: the retry of a named attempt (RequestContext.attemptId)', () => {
  it('a recovery code retried by its attempt is refused uncharged for 10 minutes, then a charged failure', async () => {
    const h = createHarness();
    const { recoveryCodes } = await enrolTotp(h, alice);
    const attempt = { ...ctx, attemptId: 'session-hash-1' };
    const code = recoveryCodes[0] as string;
    expect(await h.mfa.verify(alice, 'recovery', code, attempt)).toMatchObject({
      ok: true,
      recoveryCodesRemaining: 9,
    });
    h.clock.advance(10 * 60_000 - 1);
    const retried = { ok: false, code: 'INVALID_CODE', remaining: 5, alreadyUsed: true };
    expect(await h.mfa.verify(alice, 'recovery', code, attempt)).toEqual(retried);
    expect(await h.mfa.verify(alice, 'recovery', code, attempt)).toEqual(retried);
    expect((await h.mfa.status(alice)).recoveryCodesRemaining).toBe(9);
    h.clock.advance(1);
    expect(await h.mfa.verify(alice, 'recovery', code, attempt)).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      remaining: 4,
    });
  });

  it('an attempt id over 128 characters names no attempt: the retry is a charged replay', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    const code = totpAt(secret, h.clock.now());
    const longest = { ...ctx, attemptId: 'a'.repeat(128) };
    expect((await h.mfa.verify(alice, 'totp', code, longest)).ok).toBe(true);
    expect(await h.mfa.verify(alice, 'totp', code, longest)).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      remaining: 5,
      alreadyUsed: true,
    });
    h.clock.advance(30_000);
    const next = totpAt(secret, h.clock.now());
    const tooLong = { ...ctx, attemptId: 'a'.repeat(129) };
    expect((await h.mfa.verify(alice, 'totp', next, tooLong)).ok).toBe(true);
    expect(await h.mfa.verify(alice, 'totp', next, tooLong)).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      remaining: 4,
    });
  });
});
