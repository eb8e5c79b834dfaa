// WebAuthn in core (memory backend, a fake verifier): registration, sign-in with single-use bound
// challenges, counter regression, the limiter, management, reset, and the phishing-resistant policy.
import { describe, expect, it } from 'vitest';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt } from '../../test-support/mfa-harness.js';
import {
  challengeOfOptions,
  createFakeWebAuthnVerifier,
  fakeWebAuthnResponse,
} from '../../test-support/fake-webauthn-verifier.js';
import { factorSatisfies } from './factor-satisfies.js';

const alice: MfaUser = { id: 'alice', roles: ['user'] };
const admin = { kind: 'admin' as const, id: 'root' };

function harness(policy = {}) {
  return createHarness({ webauthn: { verifier: createFakeWebAuthnVerifier() }, policy });
}

async function registerCredential(
  h: ReturnType<typeof harness>,
  user: MfaUser,
  id: string,
  counter = 0,
  binding = 'enrol-session',
) {
  const options = await h.mfa.webauthn.registrationOptions(user, { binding });
  const result = await h.mfa.webauthn.verifyRegistration(
    user,
    { response: fakeWebAuthnResponse(id, challengeOfOptions(options), { counter }), binding },
    {},
  );
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.credential;
}

async function assertion(h: ReturnType<typeof harness>, user: MfaUser, binding: string) {
  const options = await h.mfa.webauthn.signInOptions(user, { binding });
  if (!options.ok) throw new Error(options.code);
  return challengeOfOptions(options.options);
}

describe('WebAuthn registration', () => {
  it('stores a named credential and records WEBAUTHN_CREDENTIAL_ADDED; the challenge registers once', async () => {
    const h = harness();
    const options = await h.mfa.webauthn.registrationOptions(alice, { binding: 's1' });
    const challenge = challengeOfOptions(options);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const response = fakeWebAuthnResponse('cred-1', challenge);
    const result = await h.mfa.webauthn.verifyRegistration(
      alice,
      { response, binding: 's1', name: ' Laptop ' },
      {},
    );
    expect(result).toMatchObject({
      ok: true,
      credential: { id: 'cred-1', name: 'Laptop', lastUsedAt: null },
    });
    expect(h.events.at(-1)).toMatchObject({
      type: 'WEBAUTHN_CREDENTIAL_ADDED',
      details: { credentialId: 'cred-1' },
    });
    const again = fakeWebAuthnResponse('cred-2', challenge);
    expect(await h.mfa.webauthn.verifyRegistration(alice, { response: again, binding: 's1' }, {})).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      reason: 'challenge',
    });
    expect((await h.mfa.status(alice)).webauthn.map((c) => c.id)).toEqual(['cred-1']);
    expect((await h.mfa.status(alice)).enrolled).toBe(true);
  });

  it("refuses another session's challenge, garbage and a bad name without spending it; a bad attestation spends it", async () => {
    const h = harness();
    const challenge = challengeOfOptions(await h.mfa.webauthn.registrationOptions(alice, { binding: 's1' }));
    const response = fakeWebAuthnResponse('cred-1', challenge);
    expect(await h.mfa.webauthn.verifyRegistration(alice, { response, binding: 's2' }, {})).toMatchObject({
      code: 'INVALID_CODE',
      reason: 'challenge',
    });
    for (const garbage of [null, 'x', { id: '!!' }, { id: 'a', response: { clientDataJSON: 'bm90IGpzb24' } }])
      expect(
        await h.mfa.webauthn.verifyRegistration(alice, { response: garbage, binding: 's1' }, {}),
      ).toMatchObject({ reason: 'malformed' });
    await expect(
      h.mfa.webauthn.verifyRegistration(alice, { response, binding: 's1', name: 'x'.repeat(65) }, {}),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    // A refused attestation claiming the challenge spends it: the valid one comes too late.
    const bad = fakeWebAuthnResponse('cred-1', challenge, { valid: false });
    expect(
      await h.mfa.webauthn.verifyRegistration(alice, { response: bad, binding: 's1' }, {}),
    ).toMatchObject({
      reason: 'verification',
    });
    expect(await h.mfa.webauthn.verifyRegistration(alice, { response, binding: 's1' }, {})).toEqual({
      ok: false,
      code: 'INVALID_CODE',
      reason: 'challenge',
    });
    expect((await h.mfa.status(alice)).webauthn).toEqual([]);
  });

  it('throws CONFIGURATION when WebAuthn is not configured', async () => {
    const h = createHarness();
    await expect(h.mfa.webauthn.registrationOptions(alice, { binding: 's' })).rejects.toMatchObject({
      code: 'CONFIGURATION',
    });
  });
});

describe('WebAuthn sign-in', () => {
  it('a valid assertion signs in once; its replay and another sign-in’s challenge are refused', async () => {
    const h = harness();
    await registerCredential(h, alice, 'cred-1');
    expect(await h.mfa.startSignIn(alice, {})).toMatchObject({ next: 'challenge', factors: ['webauthn'] });
    const challenge = await assertion(h, alice, 'pending-1');
    const response = fakeWebAuthnResponse('cred-1', challenge, { counter: 1 });
    expect(await h.mfa.webauthn.verifySignIn(alice, { response, binding: 'pending-1' }, {})).toEqual({
      ok: true,
      factor: 'webauthn',
      recoveryCodesRemaining: 0,
    });
    expect(await h.mfa.webauthn.verifySignIn(alice, { response, binding: 'pending-1' }, {})).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
    });
    const other = await assertion(h, alice, 'pending-2');
    const stolen = fakeWebAuthnResponse('cred-1', other, { counter: 2 });
    expect(
      await h.mfa.webauthn.verifySignIn(alice, { response: stolen, binding: 'pending-3' }, {}),
    ).toMatchObject({
      code: 'INVALID_CODE',
    });
    expect(
      (await h.mfa.webauthn.verifySignIn(alice, { response: stolen, binding: 'pending-2' }, {})).ok,
    ).toBe(true);
    expect((await h.mfa.webauthn.list(alice))[0]?.lastUsedAt).toBe(h.clock.now());
  });

  it('refuses a counter regression and records WEBAUTHN_COUNTER_REGRESSION with both counters', async () => {
    const h = harness();
    await registerCredential(h, alice, 'cred-1', 7);
    const challenge = await assertion(h, alice, 'p');
    const clone = fakeWebAuthnResponse('cred-1', challenge, { counter: 3 });
    expect(await h.mfa.webauthn.verifySignIn(alice, { response: clone, binding: 'p' }, {})).toMatchObject({
      code: 'INVALID_CODE',
    });
    expect(h.events.find((e) => e.type === 'WEBAUTHN_COUNTER_REGRESSION')?.details).toEqual({
      credentialId: 'cred-1',
      storedCounter: 7,
      presentedCounter: 3,
    });
    expect(h.events.find((e) => e.type === 'VERIFICATION_FAILED')?.details).toEqual({
      factor: 'webauthn',
      reason: 'counter',
    });
  });

  it('counts failures in the webauthn family: 5 bad assertions start a cooldown', async () => {
    const h = harness();
    await registerCredential(h, alice, 'cred-1');
    const answers = [];
    for (let i = 0; i < 6; i += 1) {
      const challenge = await assertion(h, alice, 'p');
      const bad = fakeWebAuthnResponse('cred-1', challenge, { valid: false });
      answers.push(
        (await h.mfa.webauthn.verifySignIn(alice, { response: bad, binding: 'p' }, {})) as { code?: string },
      );
    }
    expect(answers.map((a) => a.code)).toEqual([
      'INVALID_CODE',
      'INVALID_CODE',
      'INVALID_CODE',
      'INVALID_CODE',
      'COOLDOWN',
      'COOLDOWN',
    ]);
    expect(h.events.some((e) => e.type === 'COOLDOWN_ACTIVATED' && e.details.family === 'webauthn')).toBe(
      true,
    );
  });
});

describe('WebAuthn credential management', () => {
  it('renames, and removes with an epoch bump and WEBAUTHN_CREDENTIAL_REMOVED; reset removes all', async () => {
    const h = harness();
    await registerCredential(h, alice, 'cred-1');
    await registerCredential(h, alice, 'cred-2');
    expect(await h.mfa.webauthn.rename(alice, 'cred-2', 'YubiKey')).toBe(true);
    await expect(h.mfa.webauthn.rename(alice, 'cred-2', '')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(h.mfa.webauthn.remove({ kind: 'user', id: 'alice' }, alice, '../x')).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(await h.mfa.webauthn.remove({ kind: 'user', id: 'alice' }, alice, 'nope')).toBeNull();
    expect(await h.mfa.webauthn.remove({ kind: 'user', id: 'alice' }, alice, 'cred-2')).toEqual({ epoch: 1 });
    expect(h.events.at(-1)).toMatchObject({
      type: 'WEBAUTHN_CREDENTIAL_REMOVED',
      details: { credentialId: 'cred-2', name: 'YubiKey' },
    });
    expect(h.revoked).toContain('alice');
    await h.mfa.admin.reset(admin, alice);
    expect((await h.mfa.status(alice)).webauthn).toEqual([]);
  });
});

describe('phishing-resistant policy', () => {
  const owner: MfaUser = { id: 'olga', roles: ['owner'] };

  it('factorSatisfies: only webauthn meets a phishing-resistant requirement', () => {
    const strong = {
      available: true,
      required: true,
      reason: 'role',
      graceRemaining: null,
      phishingResistant: true,
    } as const;
    const plain = { available: true, required: true, reason: 'role', graceRemaining: null } as const;
    expect(['totp', 'sms', 'recovery', 'webauthn'].map((f) => factorSatisfies(strong, f as 'totp'))).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(factorSatisfies(plain, 'totp')).toBe(true);
  });

  it('a phishing-resistant role is required, challenged with webauthn only once it has a credential', async () => {
    const h = harness({ phishingResistantRoles: ['owner'] });
    expect(await h.mfa.requirement(owner)).toMatchObject({
      required: true,
      reason: 'role',
      phishingResistant: true,
    });
    expect(await h.mfa.startSignIn(owner, {})).toMatchObject({ next: 'enrol', reason: 'role' });
    await enrolTotp(h, owner);
    // TOTP only: challenged with it (the sign-in then does not satisfy requireMfa; they register a passkey).
    expect(await h.mfa.startSignIn(owner, {})).toMatchObject({
      next: 'challenge',
      factors: ['totp', 'recovery'],
    });
    await registerCredential(h, owner, 'cred-1');
    expect(await h.mfa.startSignIn(owner, {})).toMatchObject({ next: 'challenge', factors: ['webauthn'] });
  });

  it('a device trusted after TOTP is refused once the role requires phishing-resistant MFA', async () => {
    const h = harness();
    const { secret } = await enrolTotp(h, owner);
    expect((await h.mfa.verify(owner, 'totp', totpAt(secret, h.clock.now()), {})).ok).toBe(true);
    const trusted = await h.mfa.trustedDevices.trust(owner, { factor: 'totp', epoch: 0 }, {});
    if (!trusted.ok) throw new Error(trusted.code);
    expect((await h.mfa.startSignIn(owner, {}, { trustedDeviceToken: trusted.token })).next).toBe('login');
    const policy = await h.mfa.admin.getPolicy();
    await h.mfa.admin.setPolicy(admin, { ...policy, phishingResistantRoles: ['owner'] });
    expect((await h.mfa.startSignIn(owner, {}, { trustedDeviceToken: trusted.token })).next).toBe(
      'challenge',
    );
    expect(h.events.filter((e) => e.type === 'TRUSTED_DEVICE_REFUSED').at(-1)?.details).toMatchObject({
      reason: 'factor',
    });
  });

  it('validates phishingResistantRoles and phishingResistantOrgs in the policy', async () => {
    const h = harness();
    const policy = await h.mfa.admin.getPolicy();
    await expect(
      h.mfa.admin.setPolicy(admin, { ...policy, phishingResistantRoles: [42] as unknown as string[] }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fields: { phishingResistantRoles: expect.any(String) } },
    });
    const saved = await h.mfa.admin.setPolicy(admin, { ...policy, phishingResistantOrgs: ['acme'] });
    expect(saved).toMatchObject({ phishingResistantRoles: [], phishingResistantOrgs: ['acme'] });
  });
});
