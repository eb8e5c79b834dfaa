import type { VerifyResult } from '../api.js';
import type { AttemptCheck, MfaUser, RequestContext, WebAuthnCredential } from '../types.js';
import { claimAddressSlot, settleAddressSlot } from './address-budget.js';
import { assertUser } from './assert-user.js';
import { familyLimits, settleDecision } from './attempt.js';
import type { MfaContext } from './context.js';
import { bindingOf, newWebAuthnChallenge, parseWebAuthnResponse, webauthnConfig } from './webauthn-input.js';

/**
 * The ceremony an assertion challenge belongs to: the second step of a
 * pending sign-in, or a step-up of a signed-in session.
 */
export type AssertionCeremony = 'sign-in' | 'step-up';

/**
 * The stored binding of an assertion challenge. A step-up's is hashed once
 * more under its own purpose, so a challenge asked for by a pending sign-in
 * never verifies a step-up (nor the reverse), even under the same binding.
 */
function assertionBinding(mfa: MfaContext, userId: string, binding: unknown, ceremony: AssertionCeremony) {
  const hashed = bindingOf(mfa, userId, binding);
  return ceremony === 'sign-in' ? hashed : mfa.hasher.hash('webauthn-step-up', hashed);
}

/**
 * Options for `navigator.credentials.get()` for a pending sign-in (or a
 * step-up): a new challenge stored server-side for `challengeTtlMs`, bound to
 * `binding` (the pending sign-in, or the signed-in session) and `ceremony`,
 * listing the user's credentials. NOT_ENROLLED when the user has none.
 */
export async function webAuthnSignInOptions(
  mfa: MfaContext,
  user: MfaUser,
  input: { binding: string },
  ceremony: AssertionCeremony = 'sign-in',
): Promise<{ ok: true; options: Record<string, unknown> } | { ok: false; code: 'NOT_ENROLLED' }> {
  assertUser(user);
  const config = webauthnConfig(mfa);
  const binding = assertionBinding(mfa, user.id, input?.binding, ceremony);
  const record = await mfa.backend.store.getRecord(user.id);
  const credentials = record?.webauthn ?? [];
  if (credentials.length === 0) return { ok: false, code: 'NOT_ENROLLED' };
  const now = mfa.now();
  const challenge = newWebAuthnChallenge(mfa);
  const [options] = await Promise.all([
    config.verifier.authenticationOptions({
      challenge,
      allowCredentials: credentials.map((c) => ({ id: c.id, transports: c.transports })),
    }),
    mfa.backend.store.putWebAuthnChallenge(
      user.id,
      { challenge, purpose: 'sign-in', binding, expiresAt: now + config.challengeTtlMs },
      now,
    ),
  ]);
  return { ok: true, options };
}

/** Whether `presented` fails to grow past `stored` (W3C WebAuthn §6.1.1; both 0: the authenticator keeps no counter). */
function counterRegressed(stored: number, presented: number): boolean {
  return (presented > 0 || stored > 0) && presented <= stored;
}

/**
 * Verifies a WebAuthn assertion as the second factor of a pending sign-in
 * (or, with `ceremony` `step-up`, a signed-in session's step-up). The
 * signature is checked in Node against the stored credential and the
 * challenge the client signed; then ONE atomic `store.attempt` consumes
 * that challenge (live, bound to `binding` and `ceremony`: a
 * replayed assertion or another sign-in's challenge is refused), checks and
 * raises the signature counter, and counts the outcome in the `webauthn`
 * limiter family, under the same address budget as the other factors. A
 * counter that did not grow is refused and recorded as
 * WEBAUTHN_COUNTER_REGRESSION (a possible cloned authenticator).
 */
export async function verifyWebAuthnSignIn(
  mfa: MfaContext,
  user: MfaUser,
  input: { response: unknown; binding: string },
  ctx: RequestContext,
  ceremony: AssertionCeremony = 'sign-in',
): Promise<VerifyResult> {
  assertUser(user);
  const config = webauthnConfig(mfa);
  const binding = assertionBinding(mfa, user.id, input?.binding, ceremony);
  const now = mfa.now();
  const [record, slot] = await Promise.all([
    mfa.backend.store.getRecord(user.id),
    claimAddressSlot(mfa, ctx, now, true),
  ]);
  if (slot !== null && !slot.reservation.allowed)
    return { ok: false, code: 'COOLDOWN', retryAfterMs: slot.reservation.retryAfterMs };
  if (record === null || record.webauthn.length === 0) {
    await settleAddressSlot(mfa, slot, false, { user, ctx: ctx ?? {} }, now);
    return { ok: false, code: 'NOT_ENROLLED' };
  }
  const parsed = parseWebAuthnResponse(input?.response);
  const credential: WebAuthnCredential | undefined =
    parsed === null ? undefined : record.webauthn.find((c) => c.id === parsed.credentialId);
  let verdict: { ok: true; counter: number; backedUp: boolean } | { ok: false } = { ok: false };
  if (parsed !== null && credential !== undefined) {
    verdict = await config.verifier.verifyAuthentication({
      response: input.response,
      expectedChallenge: parsed.challenge,
      credential: { id: credential.id, publicKey: credential.publicKey, transports: credential.transports },
    });
  }
  const check: AttemptCheck = {
    type: 'webauthn',
    challenge: parsed?.challenge ?? null,
    binding,
    credentialId: credential?.id ?? null,
    verified: verdict.ok,
    counter: verdict.ok ? verdict.counter : 0,
    backedUp: verdict.ok && verdict.backedUp,
  };
  const decision = await mfa.backend.store.attempt(user.id, {
    family: 'webauthn',
    check,
    limits: familyLimits(mfa, 'webauthn'),
    lock: mfa.options.limits.lock,
    now,
  });
  const subject = { user, ctx: ctx ?? {} };
  // The store's verdict names the regression; when the failure also started a cooldown or lock, the
  // counter read with the record tells it.
  const regression =
    !decision.ok &&
    decision.evaluated &&
    verdict.ok &&
    credential !== undefined &&
    (decision.code === 'INVALID_CODE'
      ? decision.reason === 'counter'
      : counterRegressed(credential.counter, verdict.counter));
  let failed = false;
  const [outcome] = await Promise.all([
    settleDecision(
      mfa,
      {
        ...subject,
        family: 'webauthn',
        factor: 'webauthn',
        malformed: parsed === null,
        onEvaluatedFailure: () => {
          failed = true;
        },
      },
      decision,
      now,
    ),
    regression && credential !== undefined && verdict.ok
      ? mfa.events.emit(
          'WEBAUTHN_COUNTER_REGRESSION',
          {
            credentialId: credential.id,
            storedCounter: credential.counter,
            presentedCounter: verdict.counter,
          },
          subject,
        )
      : undefined,
  ]);
  if (!outcome.ok) {
    await settleAddressSlot(mfa, slot, failed, subject, now);
    return outcome;
  }
  await Promise.all([
    mfa.events.emit('VERIFICATION_SUCCEEDED', { factor: 'webauthn' }, subject),
    settleAddressSlot(mfa, slot, false, subject, now),
  ]);
  return { ok: true, factor: 'webauthn', recoveryCodesRemaining: record.recoveryCodesRemaining };
}
