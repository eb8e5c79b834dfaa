import type { UserMfaStatus } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import { stepsUpWithPasskeyOnly, stepUpFactors } from './step-up-factors.js';

function status(input: Partial<UserMfaStatus>): UserMfaStatus {
  return {
    userId: 'u1',
    enrolled: true,
    totp: null,
    sms: null,
    webauthn: [],
    recoveryCodesRemaining: 0,
    requirement: { available: true, required: false, reason: 'optional' },
    limiter: {} as UserMfaStatus['limiter'],
    epoch: 0,
    known: true,
    ...input,
  };
}

const passkey = {
  id: 'cred-1',
  name: 'Laptop',
  createdAt: 0,
  lastUsedAt: null,
  transports: [],
  backupEligible: false,
  backedUp: false,
};

describe('stepUpFactors (what stepUp() and the fresh-proof 403 tell the client)', () => {
  it('lists a passkey first, then each code factor the user has', () => {
    const all = status({
      webauthn: [passkey],
      totp: { enrolledAt: 0 },
      sms: { maskedPhone: '•••• 0100', enrolledAt: 0 },
      recoveryCodesRemaining: 3,
    });
    expect(stepUpFactors(all, true)).toEqual(['webauthn', 'totp', 'sms', 'recovery']);
  });

  it('leaves out a passkey while WebAuthn is not configured, and spent recovery codes', () => {
    expect(stepUpFactors(status({ webauthn: [passkey], totp: { enrolledAt: 0 } }), false)).toEqual(['totp']);
    expect(stepUpFactors(status({ enrolled: false }), true)).toEqual([]);
  });

  it('offers only the passkey to a user whose policy requires phishing-resistant MFA, while they have one', () => {
    const strong = {
      available: true,
      required: true,
      reason: 'role',
      graceRemaining: null,
      phishingResistant: true,
    } as const;
    const codes = { totp: { enrolledAt: 0 }, recoveryCodesRemaining: 3 };
    expect(stepUpFactors(status({ ...codes, webauthn: [passkey], requirement: strong }), true)).toEqual([
      'webauthn',
    ]);
    expect(stepsUpWithPasskeyOnly(status({ ...codes, webauthn: [passkey], requirement: strong }), true)).toBe(
      true,
    );
    expect(stepsUpWithPasskeyOnly(status({ ...codes, webauthn: [passkey] }), true)).toBe(false);
    expect(
      stepsUpWithPasskeyOnly(status({ ...codes, webauthn: [passkey], requirement: strong }), false),
    ).toBe(false);
    // Without a passkey yet, they step up with a code (to register their first one).
    expect(stepUpFactors(status({ ...codes, requirement: strong }), true)).toEqual(['totp', 'recovery']);
  });
});
