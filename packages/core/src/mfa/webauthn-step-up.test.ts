// WebAuthn step-up in core (memory backend, a fake verifier): a step-up challenge and a sign-in
// challenge are separate ceremonies even under the same binding (which the express layer can't
// produce, since the session id changes at sign-in: this is the check that doesn't rely on it).
import { describe, expect, it } from 'vitest';
import { createHarness } from '../../test-support/mfa-harness.js';
import {
  challengeOfOptions,
  createFakeWebAuthnVerifier,
  fakeWebAuthnResponse,
} from '../../test-support/fake-webauthn-verifier.js';
import type { MfaUser } from '../types.js';

const alice: MfaUser = { id: 'alice', roles: ['user'] };

async function withCredential() {
  const h = createHarness({ webauthn: { verifier: createFakeWebAuthnVerifier() } });
  const options = await h.mfa.webauthn.registrationOptions(alice, { binding: 'enrol' });
  const response = fakeWebAuthnResponse('cred-1', challengeOfOptions(options));
  expect((await h.mfa.webauthn.verifyRegistration(alice, { response, binding: 'enrol' }, {})).ok).toBe(true);
  return h;
}

async function challengeOf(result: { ok: true; options: Record<string, unknown> } | { ok: false }) {
  if (!result.ok) throw new Error('no options');
  return challengeOfOptions(result.options);
}

describe('WebAuthn step-up', () => {
  it('verifies once; a sign-in challenge of the same binding is no step-up proof, nor the reverse', async () => {
    const h = await withCredential();
    const forSignIn = await challengeOf(await h.mfa.webauthn.signInOptions(alice, { binding: 's1' }));
    const signInResponse = fakeWebAuthnResponse('cred-1', forSignIn, { counter: 1 });
    expect(
      await h.mfa.webauthn.verifyStepUp(alice, { response: signInResponse, binding: 's1' }, {}),
    ).toMatchObject({ ok: false, code: 'INVALID_CODE' });
    const forStepUp = await challengeOf(await h.mfa.webauthn.stepUpOptions(alice, { binding: 's1' }));
    const stepUpResponse = fakeWebAuthnResponse('cred-1', forStepUp, { counter: 2 });
    expect(
      await h.mfa.webauthn.verifySignIn(alice, { response: stepUpResponse, binding: 's1' }, {}),
    ).toMatchObject({ ok: false, code: 'INVALID_CODE' });
    // Presenting them in the wrong ceremony cancelled neither: each still works in its own, once.
    expect(await h.mfa.webauthn.verifyStepUp(alice, { response: stepUpResponse, binding: 's1' }, {})).toEqual(
      {
        ok: true,
        factor: 'webauthn',
        recoveryCodesRemaining: 0,
      },
    );
    expect(
      (await h.mfa.webauthn.verifyStepUp(alice, { response: stepUpResponse, binding: 's1' }, {})).ok,
    ).toBe(false);
    const later = fakeWebAuthnResponse('cred-1', forSignIn, { counter: 3 });
    expect((await h.mfa.webauthn.verifySignIn(alice, { response: later, binding: 's1' }, {})).ok).toBe(true);
  });

  it('NOT_ENROLLED without a credential', async () => {
    const h = createHarness({ webauthn: { verifier: createFakeWebAuthnVerifier() } });
    expect(await h.mfa.webauthn.stepUpOptions(alice, { binding: 's1' })).toEqual({
      ok: false,
      code: 'NOT_ENROLLED',
    });
  });
});
