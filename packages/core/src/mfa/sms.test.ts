import { describe, expect, it } from 'vitest';
import { MfaError } from '../errors.js';
import type { PhoneVerifier } from '../ports/sms.js';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, providerError } from '../../test-support/mfa-harness.js';

const tech: MfaUser = { id: 'tech-7', orgId: 'acme' };
const phone = '+14155550123';
const ctx = { ip: '203.0.113.9' };
const admin = { kind: 'admin', id: 'root' } as const;

async function enrolSms(h: ReturnType<typeof createHarness>, user: MfaUser = tech) {
  expect(await h.mfa.sms.beginEnrolment(user, phone, ctx)).toMatchObject({ ok: true });
  const result = await h.mfa.sms.confirmEnrolment(user, h.sms.lastCode(), ctx);
  expect(result).toMatchObject({ ok: true, factor: 'sms' });
  h.clock.advance(60_000);
  return result;
}

describe('SMS enrolment', () => {
  it('sends a code, confirms it, stores the factor with a masked number and issues recovery codes once', async () => {
    const h = createHarness();
    const sent = await h.mfa.sms.beginEnrolment(tech, ` ${phone} `, ctx);
    expect(sent).toEqual({ ok: true, maskedPhone: '+1 ••• ••• 0123', resendAfterMs: 60_000 });
    expect(h.sms.sent[0]?.to).toBe(phone);
    expect(h.sms.sent[0]?.body).toMatch(/^Clarus WMS: your verification code is \d{6}$/);
    const result = await h.mfa.sms.confirmEnrolment(tech, h.sms.lastCode(), ctx);
    expect(result).toMatchObject({ ok: true, factor: 'sms' });
    expect(result.ok && result.recoveryCodes).toHaveLength(10);
    const status = await h.mfa.status(tech);
    expect(status.sms?.maskedPhone).toBe('+1 ••• ••• 0123');
    expect(JSON.stringify(await h.backend.store.getRecord(tech.id))).not.toContain('5550123');
    expect(await h.mfa.startSignIn(tech, {})).toMatchObject({
      next: 'challenge',
      factors: ['sms', 'recovery'],
      maskedPhone: '+1 ••• ••• 0123',
    });
  });

  it('adds the origin-bound line for browser autofill when originDomain is set', async () => {
    const h = createHarness({ sms: { appName: 'Acme', originDomain: 'acme.example' } });
    await h.mfa.sms.beginEnrolment(tech, phone, ctx);
    const code = h.sms.lastCode();
    expect(h.sms.sent[0]?.body).toBe(`Acme: your verification code is ${code}\n\n@acme.example #${code}`);
  });

  it('invalid numbers and disallowed countries are VALIDATION values; nothing is sent', async () => {
    const h = createHarness({ sms: { allowedCountryCodes: ['44'] } });
    for (const input of ['4155550123', '+1', 42, null, 'x'.repeat(10_000), '+44 20 7946 0958x']) {
      expect(await h.mfa.sms.beginEnrolment(tech, input, ctx)).toMatchObject({
        ok: false,
        code: 'VALIDATION',
      });
    }
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(h.sms.sent).toHaveLength(0);
  });

  it('repeated wrong setup codes start the 1-hour setup cooldown, which an admin can reset', async () => {
    const h = createHarness();
    await h.mfa.sms.beginEnrolment(tech, phone, ctx);
    const wrong = h.sms.lastCode() === '000000' ? '111111' : '000000';
    expect(await h.mfa.sms.confirmEnrolment(tech, wrong, ctx)).toMatchObject({
      code: 'INVALID_CODE',
      remaining: 2,
    });
    expect(await h.mfa.sms.confirmEnrolment(tech, wrong, ctx)).toMatchObject({
      code: 'INVALID_CODE',
      remaining: 1,
    });
    expect(await h.mfa.sms.confirmEnrolment(tech, wrong, ctx)).toEqual({
      ok: false,
      code: 'COOLDOWN',
      retryAfterMs: 3_600_000,
    });
    h.clock.advance(120_000);
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({ ok: false, code: 'COOLDOWN' });
    // Setup failures do not count toward the account lock.
    expect((await h.mfa.status(tech)).limiter.consecutiveFailures).toBe(0);
    await h.mfa.admin.resetCooldowns(admin, tech, { which: 'sms-setup', reason: 'user called' });
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({ ok: true });
    expect(h.events.find((e) => e.type === 'ADMIN_COOLDOWN_RESET')?.actor).toEqual(admin);
  });

  it('provider failure → SMS_FAILURE/PROVIDER_FAILURE event with provider code and masked number; no attempt charged', async () => {
    const h = createHarness();
    h.sms.failNext = providerError('PROVIDER_FAILURE', 500);
    const result = await h.mfa.sms.beginEnrolment(tech, phone, ctx);
    expect(result).toMatchObject({ ok: false, code: 'PROVIDER_FAILURE', providerCode: 500 });
    const event = h.events.find((e) => e.type === 'PROVIDER_FAILURE');
    expect(event?.details).toMatchObject({
      provider: 'fake-sms',
      providerCode: 500,
      maskedPhone: '+1 ••• ••• 0123',
    });
    expect(await h.backend.store.getSmsChallenge(tech.id, 'setup', h.clock.now())).toBeNull();
    const status = await h.mfa.status(tech);
    expect(status.limiter.families['sms-setup']?.failures ?? 0).toBe(0);

    h.sms.failNext = providerError('SMS_FAILURE', 21211);
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({
      ok: false,
      code: 'SMS_FAILURE',
      providerCode: 21211,
      hint: 'Check the number',
    });
    expect(h.events.find((e) => e.type === 'SMS_FAILURE')?.details).toMatchObject({ providerCode: 21211 });
    // The user can retry at once (no resend cooldown charged for a failed send).
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({ ok: true });
  });

  it('a thrown non-provider error from the sender is reported as PROVIDER_FAILURE, not a crash', async () => {
    const h = createHarness();
    h.sms.send = async () => {
      throw new TypeError('socket hang up');
    };
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({
      ok: false,
      code: 'PROVIDER_FAILURE',
      providerCode: null,
    });
  });
});

describe('SMS sign-in', () => {
  it('sends to the enrolled number; the code verifies once; a setup code cannot sign in', async () => {
    const h = createHarness();
    await enrolSms(h);
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toMatchObject({
      ok: true,
      maskedPhone: '+1 ••• ••• 0123',
    });
    const code = h.sms.lastCode();
    expect(await h.mfa.verify(tech, 'sms', code, ctx)).toMatchObject({ ok: true, factor: 'sms' });
    expect(await h.mfa.verify(tech, 'sms', code, ctx)).toMatchObject({ ok: false, code: 'INVALID_CODE' });
    expect(h.events.at(-1)?.details).toEqual({ factor: 'sms', reason: 'missing' });
  });

  it('an expired code is refused', async () => {
    const h = createHarness();
    await enrolSms(h);
    await h.mfa.sms.sendSignInCode(tech, ctx);
    h.clock.advance(300_001);
    expect(await h.mfa.verify(tech, 'sms', h.sms.lastCode(), ctx)).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
    });
  });

  it('resend cooldown and hourly send limit; a resend never resets the failure budget', async () => {
    const h = createHarness({ sms: { sendsPerUserPerHour: 3 } });
    await enrolSms(h); // 1st send this hour
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toMatchObject({ ok: true });
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    for (let i = 0; i < 4; i++) await h.mfa.verify(tech, 'sms', '000000', ctx);
    h.clock.advance(61_000);
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toMatchObject({ ok: true });
    // The fresh code does not give back the budget: one more failure starts the cooldown.
    expect(await h.mfa.verify(tech, 'sms', '000000', ctx)).toMatchObject({ code: 'COOLDOWN' });
    h.clock.advance(61_000);
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toMatchObject({ ok: false, code: 'COOLDOWN' });
    h.clock.advance(300_000);
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });

  it('not enrolled → NOT_ENROLLED; nothing sent', async () => {
    const h = createHarness();
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toEqual({ ok: false, code: 'NOT_ENROLLED' });
    expect(h.sms.sent).toHaveLength(0);
  });

  it('not my number with SMS as the only factor: event (masked), factor and pending code removed, account locked', async () => {
    const h = createHarness();
    await enrolSms(h);
    await h.mfa.sms.sendSignInCode(tech, ctx);
    const code = h.sms.lastCode();
    await h.mfa.sms.notMyNumber(tech, ctx);
    const event = h.events.find((e) => e.type === 'NOT_MY_NUMBER');
    expect(event).toMatchObject({
      userId: tech.id,
      orgId: 'acme',
      ip: ctx.ip,
      details: { maskedPhone: '+1 ••• ••• 0123' },
    });
    expect(h.events.find((e) => e.type === 'ACCOUNT_LOCK')?.details).toMatchObject({
      reason: 'not-my-number',
    });
    expect(await h.mfa.verify(tech, 'sms', code, ctx)).toEqual({ ok: false, code: 'NOT_ENROLLED' });
    expect(await h.mfa.sms.sendSignInCode(tech, ctx)).toEqual({ ok: false, code: 'NOT_ENROLLED' });
    // Pressing the button must not be a way around MFA: sign-in is refused until an admin acts.
    expect(await h.mfa.startSignIn(tech, {})).toMatchObject({ next: 'refused', code: 'ACCOUNT_LOCKED' });
  });

  it('not my number with TOTP as well: SMS removed, TOTP still challenged, no lock', async () => {
    const h = createHarness();
    await enrolTotp(h, tech);
    await enrolSms(h);
    await h.mfa.sms.notMyNumber(tech, ctx);
    expect(await h.mfa.startSignIn(tech, {})).toMatchObject({
      next: 'challenge',
      factors: ['totp', 'recovery'],
    });
  });

  it('with a provider verifier, codes are checked by the provider and still limited by mfa-kit', async () => {
    const started: string[] = [];
    const verifier: PhoneVerifier = {
      name: 'verify',
      async start(to) {
        started.push(to);
      },
      async check(_to, code) {
        return code === '424242';
      },
    };
    const h = createHarness({ sms: { verifier } });
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({ ok: true });
    expect(await h.mfa.sms.confirmEnrolment(tech, '000000', ctx)).toMatchObject({ code: 'INVALID_CODE' });
    expect(await h.mfa.sms.confirmEnrolment(tech, '424242', ctx)).toMatchObject({ ok: true });
    h.clock.advance(61_000);
    await h.mfa.sms.sendSignInCode(tech, ctx);
    expect(started).toEqual([phone, phone]);
    for (let i = 0; i < 4; i++) await h.mfa.verify(tech, 'sms', '000000', ctx);
    expect(await h.mfa.verify(tech, 'sms', '000000', ctx)).toMatchObject({ code: 'COOLDOWN' });
    // Cooling down: even the right code is refused before the provider is asked.
    expect(await h.mfa.verify(tech, 'sms', '424242', ctx)).toMatchObject({ code: 'COOLDOWN' });
    h.clock.advance(300_001);
    expect(await h.mfa.verify(tech, 'sms', '424242', ctx)).toMatchObject({ ok: true });
  });

  it('a provider that fails to check a set-up code keeps its error code and hint, and charges nothing', async () => {
    const verifier: PhoneVerifier = {
      name: 'verify',
      async start() {},
      async check() {
        throw new MfaError('PROVIDER_FAILURE', { providerCode: 500, hint: 'Try again in a minute.' });
      },
    };
    const h = createHarness({ sms: { verifier } });
    expect(await h.mfa.sms.beginEnrolment(tech, phone, ctx)).toMatchObject({ ok: true });
    const before = (await h.mfa.status(tech)).limiter;
    const error = await h.mfa.sms.confirmEnrolment(tech, '424242', ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaError);
    expect(error).toMatchObject({
      code: 'PROVIDER_FAILURE',
      details: { providerCode: 500, hint: 'Try again in a minute.' },
    });
    expect((await h.mfa.status(tech)).limiter).toEqual(before);
    expect(h.events.filter((e) => e.type === 'PROVIDER_FAILURE')).toMatchObject([
      { details: { providerCode: 500 } },
    ]);
  });
});
