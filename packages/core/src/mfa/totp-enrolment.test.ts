import { describe, expect, it } from 'vitest';
import { MfaError } from '../errors.js';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt } from '../../test-support/mfa-harness.js';

const alice: MfaUser = { id: 'alice', label: 'alice@example.com', orgId: 'org-1' };

describe('TOTP enrolment', () => {
  it('begin returns a 160-bit base32 secret, a sealed copy and an otpauth URI with issuer and label', async () => {
    const h = createHarness();
    const enrolment = await h.mfa.totp.beginEnrolment(alice);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.sealedSecret).not.toContain(enrolment.secret);
    const uri = new URL(enrolment.uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(enrolment.secret);
    expect(uri.searchParams.get('issuer')).toBe('Clarus WMS');
    expect(decodeURIComponent(uri.pathname)).toContain('alice@example.com');
    expect(enrolment).toMatchObject({ algorithm: 'SHA1', digits: 6, periodInSeconds: 30 });
  });

  it('confirm stores the factor, returns recovery codes once, records ENROLLED', async () => {
    const h = createHarness();
    const enrolment = await h.mfa.totp.beginEnrolment(alice);
    const result = await h.mfa.totp.confirmEnrolment(
      alice,
      enrolment.sealedSecret,
      totpAt(enrolment.secret, h.clock.now()),
      {},
    );
    expect(result.ok).toBe(true);
    const codes = result.ok ? result.recoveryCodes : null;
    expect(codes).toHaveLength(10);
    for (const code of codes ?? []) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    const status = await h.mfa.status(alice);
    expect(status).toMatchObject({ enrolled: true, recoveryCodesRemaining: 10 });
    expect(h.events.map((e) => e.type)).toContain('ENROLLED');
    // Stored only sealed / hashed: the record holds neither the secret nor any code.
    const stored = JSON.stringify(await h.backend.store.getRecord(alice.id));
    expect(stored).not.toContain(enrolment.secret);
  });

  it('the enrolment code cannot be replayed as the first sign-in code', async () => {
    const h = createHarness();
    const enrolment = await h.mfa.totp.beginEnrolment(alice);
    const code = totpAt(enrolment.secret, h.clock.now());
    expect((await h.mfa.totp.confirmEnrolment(alice, enrolment.sealedSecret, code, {})).ok).toBe(true);
    expect(await h.mfa.verify(alice, 'totp', code, {})).toMatchObject({ ok: false, code: 'INVALID_CODE' });
    h.clock.advance(30_000);
    expect((await h.mfa.verify(alice, 'totp', totpAt(enrolment.secret, h.clock.now()), {})).ok).toBe(true);
  });

  it('a wrong confirm code counts toward the totp limiter and stores nothing', async () => {
    const h = createHarness();
    const enrolment = await h.mfa.totp.beginEnrolment(alice);
    const result = await h.mfa.totp.confirmEnrolment(alice, enrolment.sealedSecret, '000000', {});
    expect(result).toMatchObject({ ok: false, code: 'INVALID_CODE', remaining: 4 });
    expect((await h.mfa.status(alice)).enrolled).toBe(false);
  });

  it('a tampered or swapped sealed secret is a VALIDATION error, not a crash', async () => {
    const h = createHarness();
    const enrolment = await h.mfa.totp.beginEnrolment(alice);
    const code = totpAt(enrolment.secret, h.clock.now());
    const last = enrolment.sealedSecret.at(-1) === 'A' ? 'B' : 'A';
    const tampered = enrolment.sealedSecret.slice(0, -1) + last;
    for (const sealed of [tampered, 'garbage', '', 42 as unknown as string]) {
      const error = await h.mfa.totp.confirmEnrolment(alice, sealed, code, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MfaError);
      expect((error as MfaError).code).toBe('VALIDATION');
    }
    // Bob can't confirm with alice's sealed secret (associated data binds it to alice).
    const error = await h.mfa.totp
      .confirmEnrolment({ id: 'bob' }, enrolment.sealedSecret, code, {})
      .catch((e) => e);
    expect((error as MfaError).code).toBe('VALIDATION');
  });

  it('already enrolled → ALREADY_ENROLLED; existing recovery codes are kept (no new set)', async () => {
    const h = createHarness();
    await enrolTotp(h, alice);
    await expect(h.mfa.totp.beginEnrolment(alice)).rejects.toMatchObject({ code: 'ALREADY_ENROLLED' });
  });

  it('honours configured algorithm, digits and period', async () => {
    const h = createHarness({ totp: { algorithm: 'SHA256', digits: 8, periodInSeconds: 60 } });
    const enrolment = await h.mfa.totp.beginEnrolment(alice);
    const uri = new URL(enrolment.uri);
    expect(uri.searchParams.get('algorithm')).toBe('SHA256');
    expect(uri.searchParams.get('digits')).toBe('8');
    expect(uri.searchParams.get('period')).toBe('60');
  });
});
