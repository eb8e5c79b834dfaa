import { describe, expect, it } from 'vitest';
import type { MfaUser } from '../types.js';
import {
  createHarness,
  enrolTotp,
  providerError,
  totpAt,
  wrongTotp,
} from '../../test-support/mfa-harness.js';

const user: MfaUser = { id: 'ev-user', orgId: 'org-9', roles: ['admin'] };
const ctx = { ip: '198.51.100.4', userAgent: 'Mozilla/5.0 test' };
const phone = '+447700900123';

describe('events', () => {
  it('never contain codes, secrets, recovery codes or the full phone number (searched in the JSON)', async () => {
    const h = createHarness({ limits: { lock: { maxConsecutiveFailures: 7 } } });
    const enrolment = await h.mfa.totp.beginEnrolment(user);
    const enrolCode = totpAt(enrolment.secret, h.clock.now());
    const confirmed = await h.mfa.totp.confirmEnrolment(user, enrolment.sealedSecret, enrolCode, ctx);
    const recoveryCodes = confirmed.ok ? (confirmed.recoveryCodes ?? []) : [];
    h.clock.advance(30_000);
    const secrets = [
      enrolment.secret,
      enrolment.sealedSecret,
      enrolCode,
      phone,
      '7700900123',
      ...recoveryCodes,
    ];

    const wrong = wrongTotp(enrolment.secret, h.clock.now());
    await h.mfa.verify(user, 'totp', totpAt(enrolment.secret, h.clock.now()), ctx);
    await h.mfa.verify(user, 'recovery', recoveryCodes[0], ctx);
    await h.mfa.sms.beginEnrolment(user, phone, ctx);
    const smsCode = h.sms.lastCode();
    secrets.push(smsCode);
    await h.mfa.sms.confirmEnrolment(user, smsCode, ctx);
    h.clock.advance(61_000);
    h.sms.failNext = providerError('PROVIDER_FAILURE', 500);
    await h.mfa.sms.sendSignInCode(user, ctx);
    h.clock.advance(61_000);
    await h.mfa.sms.sendSignInCode(user, ctx);
    secrets.push(h.sms.lastCode());
    secrets.push(wrong);
    for (let i = 0; i < 5; i++) await h.mfa.verify(user, 'totp', wrong, ctx);
    h.clock.advance(300_001);
    for (let i = 0; i < 2; i++)
      await h.mfa.verify(user, 'totp', wrongTotp(enrolment.secret, h.clock.now()), ctx);
    await h.mfa.sms.notMyNumber(user, ctx);
    await h.mfa.admin.reset({ kind: 'admin', id: 'root' }, user, { reason: 'test' });

    const types = new Set(h.events.map((e) => e.type));
    for (const type of [
      'ENROLLED',
      'VERIFICATION_SUCCEEDED',
      'RECOVERY_CODE_USED',
      'SMS_SENT',
      'PROVIDER_FAILURE',
    ]) {
      expect(types).toContain(type);
    }
    for (const type of [
      'VERIFICATION_FAILED',
      'COOLDOWN_ACTIVATED',
      'ACCOUNT_LOCK',
      'NOT_MY_NUMBER',
      'ADMIN_RESET',
    ]) {
      expect(types).toContain(type);
    }
    const stored = await h.mfa.events.query({ limit: 500 });
    expect(stored.events).toHaveLength(h.events.length);
    const json = JSON.stringify(stored.events);
    for (const secret of secrets) {
      expect(json).not.toContain(secret);
      expect(json.toLowerCase()).not.toContain(secret.toLowerCase().replace(/-/g, ''));
    }
    expect(json).toContain('+44 ••• ••• 0123'.slice(0, 4));
    // Every event about the user carries its org, IP and user agent.
    const fromUser = stored.events.filter((e) => e.type === 'VERIFICATION_FAILED');
    for (const event of fromUser)
      expect(event).toMatchObject({ orgId: 'org-9', ip: ctx.ip, userAgent: ctx.userAgent });
  });

  it('a throwing (or rejecting) subscriber does not change the flow; unsubscribe stops delivery', async () => {
    const h = createHarness();
    h.mfa.events.subscribe(() => {
      throw new Error('logger crashed');
    });
    h.mfa.events.subscribe(async () => {
      throw new Error('async logger crashed');
    });
    const seen: string[] = [];
    const unsubscribe = h.mfa.events.subscribe((event) => {
      seen.push(event.type);
    });
    const { secret } = await enrolTotp(h, user);
    expect((await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), ctx)).ok).toBe(true);
    unsubscribe();
    await h.mfa.verify(user, 'totp', '000000', ctx);
    expect(seen).toEqual(['ENROLLED', 'VERIFICATION_SUCCEEDED']);
  });

  it('events.record accepts app events (SESSION_EXPIRED) and query filters them', async () => {
    const h = createHarness();
    const recorded = await h.mfa.events.record({
      type: 'SESSION_EXPIRED',
      userId: user.id,
      details: { stage: 'challenge' },
    });
    expect(recorded).toMatchObject({ type: 'SESSION_EXPIRED', time: h.clock.now(), userId: user.id });
    expect(h.events).toHaveLength(1);
    const page = await h.mfa.events.query({ types: ['SESSION_EXPIRED'], userId: user.id });
    expect(page.events.map((e) => e.id)).toEqual([recorded.id]);
  });
});
