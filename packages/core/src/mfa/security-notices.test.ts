import { describe, expect, it } from 'vitest';
import type { SecurityNotification, SecurityNotifier } from '../ports/security-notifier.js';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt, wrongTotp } from '../../test-support/mfa-harness.js';
import {
  challengeOfOptions,
  createFakeWebAuthnVerifier,
  fakeWebAuthnResponse,
} from '../../test-support/fake-webauthn-verifier.js';

const user: MfaUser = { id: 'nina', orgId: 'acme', roles: ['user'] };
const admin = { kind: 'admin' as const, id: 'owen' };

function recordingNotifier(): SecurityNotifier & { sent: SecurityNotification[] } {
  const sent: SecurityNotification[] = [];
  return {
    sent,
    async notify(notification) {
      sent.push(notification);
    },
  };
}

/** Lets detached `notify` calls run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('security notifications (ASVS V6.3.5, V6.3.7)', () => {
  it('tells the user about every factor change, recovery codes, admin actions and second-factor failures, never a secret', async () => {
    const notifier = recordingNotifier();
    const h = createHarness({ notifications: { notifier } });
    const { secret, recoveryCodes } = await enrolTotp(h, user);
    const fresh = await h.mfa.recovery.regenerate(user, {});
    // Use recovery codes until only three remain.
    for (const code of fresh.slice(0, 7)) {
      expect(await h.mfa.verify(user, 'recovery', code, {})).toMatchObject({ ok: true });
    }
    // The password was right; now the authenticator codes fail until the cooldown.
    for (let i = 0; i < 5; i++) await h.mfa.verify(user, 'totp', wrongTotp(secret, h.clock.now()), {});
    await h.mfa.admin.lock(admin, user);
    await h.mfa.admin.reset(admin, user);
    await settle();

    const kinds = notifier.sent.map((n) => n.notice.kind);
    expect(kinds).toEqual([
      'factor-added',
      'recovery-codes-regenerated',
      'recovery-codes-low',
      'second-factor-failures',
      'account-locked',
      'admin-reset',
    ]);
    expect(notifier.sent.find((n) => n.notice.kind === 'recovery-codes-low')?.notice).toEqual({
      kind: 'recovery-codes-low',
      remaining: 3,
    });
    expect(notifier.sent.find((n) => n.notice.kind === 'account-locked')?.notice).toMatchObject({
      reason: 'admin',
      actor: admin,
    });
    expect(notifier.sent.every((n) => n.userId === 'nina' && n.eventId !== '')).toBe(true);
    const text = JSON.stringify(notifier.sent);
    for (const code of [...recoveryCodes, ...fresh]) expect(text).not.toContain(code);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(totpAt(secret, h.clock.now()));
  });

  it('tells the user when a passkey is added or removed, and when passkey sign-ins keep failing', async () => {
    const notifier = recordingNotifier();
    const h = createHarness({
      notifications: { notifier },
      webauthn: { verifier: createFakeWebAuthnVerifier() },
    });
    const options = await h.mfa.webauthn.registrationOptions(user, { binding: 's' });
    const response = fakeWebAuthnResponse('cred-1', challengeOfOptions(options));
    expect(
      (await h.mfa.webauthn.verifyRegistration(user, { response, binding: 's', name: 'Laptop' }, {})).ok,
    ).toBe(true);
    for (let i = 0; i < 5; i++) {
      const signIn = await h.mfa.webauthn.signInOptions(user, { binding: 'p' });
      if (!signIn.ok) throw new Error(signIn.code);
      const bad = fakeWebAuthnResponse('cred-1', challengeOfOptions(signIn.options), { valid: false });
      await h.mfa.webauthn.verifySignIn(user, { response: bad, binding: 'p' }, {});
    }
    await h.mfa.webauthn.remove({ kind: 'user', id: user.id }, user, 'cred-1');
    await settle();
    expect(notifier.sent.map((n) => n.notice)).toEqual([
      { kind: 'factor-added', factor: 'webauthn', maskedPhone: null },
      { kind: 'second-factor-failures', factor: 'webauthn', cooldownUntil: expect.any(Number) },
      { kind: 'factor-removed', factors: ['webauthn'], maskedPhone: null, cause: 'removed', name: 'Laptop' },
    ]);
  });

  it('tells the user when a phone is added, and when they disown it (only the masked number)', async () => {
    const notifier = recordingNotifier();
    const h = createHarness({ notifications: { notifier } });
    await h.mfa.sms.beginEnrolment(user, '+14155550142', {});
    const code = h.sms.lastCode();
    expect(await h.mfa.sms.confirmEnrolment(user, code, {})).toMatchObject({ ok: true });
    await h.mfa.sms.notMyNumber(user, {});
    await settle();
    expect(notifier.sent.map((n) => n.notice)).toEqual([
      { kind: 'factor-added', factor: 'sms', maskedPhone: expect.stringContaining('42') },
      {
        kind: 'factor-removed',
        factors: ['sms'],
        maskedPhone: expect.stringContaining('42'),
        cause: 'not-my-number',
      },
      { kind: 'account-locked', reason: 'not-my-number', actor: null, until: null },
    ]);
    const text = JSON.stringify(notifier.sent);
    expect(text).not.toContain('4155550142');
    expect(text).not.toContain(code);
  });

  it('a failing mailer is reported to onError and changes no MFA outcome', async () => {
    const failures: string[] = [];
    const h = createHarness({
      notifications: {
        notifier: {
          notify: async () => {
            throw new Error('SMTP down');
          },
        },
        onError: (error, notification) =>
          failures.push(`${notification.notice.kind}: ${(error as Error).message}`),
      },
    });
    const throwing = createHarness({
      notifications: {
        notifier: {
          notify: () => {
            throw new Error('not even a promise');
          },
        },
        onError: (error) => failures.push((error as Error).message),
      },
    });
    const { secret } = await enrolTotp(h, user);
    expect(await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).toMatchObject({ ok: true });
    await enrolTotp(throwing, user);
    await settle();
    expect(failures).toEqual(['factor-added: SMTP down', 'not even a promise']);
    expect((await h.mfa.status(user)).enrolled).toBe(true);
  });

  it('refuses a notifier without notify() at creation', () => {
    expect(() => createHarness({ notifications: { notifier: {} as unknown as SecurityNotifier } })).toThrow(
      /notifications.notifier/,
    );
  });
});
