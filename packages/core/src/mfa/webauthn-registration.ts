import type { WebAuthnRegistrationResult } from '../api.js';
import { MfaError } from '../errors.js';
import type { MfaUser, RequestContext, WebAuthnCredential } from '../types.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import {
  bindingOf,
  credentialInfo,
  knownTransports,
  newWebAuthnChallenge,
  parseCredentialName,
  parseWebAuthnResponse,
  userHandleOf,
  webauthnConfig,
} from './webauthn-input.js';

/**
 * Starts registering a credential: a challenge stored server-side for
 * `challengeTtlMs`, bound to `binding` (the enrolling session), and the
 * options for `navigator.credentials.create()`. The caller checks fresh
 * proof first (changing factors needs it). VALIDATION when the user already
 * has `maxCredentials`.
 */
export async function beginWebAuthnRegistration(
  mfa: MfaContext,
  user: MfaUser,
  input: { binding: string },
): Promise<Record<string, unknown>> {
  assertUser(user);
  const config = webauthnConfig(mfa);
  const binding = bindingOf(mfa, user.id, input?.binding);
  const record = await mfa.backend.store.getRecord(user.id);
  const existing = record?.webauthn ?? [];
  if (existing.length >= config.maxCredentials)
    throw new MfaError('VALIDATION', {
      message: `You can register at most ${config.maxCredentials} passkeys or security keys; remove one first.`,
      fields: { credentials: 'limit' },
    });
  const now = mfa.now();
  const challenge = newWebAuthnChallenge(mfa);
  const [options] = await Promise.all([
    config.verifier.registrationOptions({
      challenge,
      userHandle: userHandleOf(mfa, user.id),
      userName: user.label ?? user.id,
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
    }),
    mfa.backend.store.putWebAuthnChallenge(
      user.id,
      { challenge, purpose: 'register', binding, expiresAt: now + config.challengeTtlMs },
      now,
    ),
  ]);
  return options;
}

/**
 * Finishes a registration: the verifier checks the attestation response
 * against the challenge it claims, then ONE atomic store step consumes that
 * challenge (it must be live and bound to `binding`), whatever the verdict,
 * and adds the credential when the verifier accepted it (no duplicate id, at
 * most `maxCredentials`): a challenge serves one verification, like a
 * sign-in challenge. Records WEBAUTHN_CREDENTIAL_ADDED.
 */
export async function finishWebAuthnRegistration(
  mfa: MfaContext,
  user: MfaUser,
  input: { response: unknown; binding: string; name?: unknown },
  ctx: RequestContext,
): Promise<WebAuthnRegistrationResult> {
  assertUser(user);
  const config = webauthnConfig(mfa);
  const binding = bindingOf(mfa, user.id, input?.binding);
  const parsed = parseWebAuthnResponse(input?.response);
  if (parsed === null) return { ok: false, code: 'INVALID_CODE', reason: 'malformed' };
  const chosenName = parseCredentialName(input.name, '');
  const [verdict, record] = await Promise.all([
    config.verifier.verifyRegistration({ response: input.response, expectedChallenge: parsed.challenge }),
    mfa.backend.store.getRecord(user.id),
  ]);
  const now = mfa.now();
  const spend = { challenge: parsed.challenge, binding, now, max: config.maxCredentials };
  if (!verdict.ok) {
    // The challenge it claims is spent all the same: a registration challenge serves one attempt.
    const refused = await mfa.backend.store.addWebAuthnCredential(user.id, null, spend);
    return { ok: false, code: 'INVALID_CODE', reason: refused === 'missing' ? 'challenge' : 'verification' };
  }
  const name = chosenName === '' ? defaultName(record?.webauthn.length ?? 0) : chosenName;
  const credential: WebAuthnCredential = {
    ...verdict.credential,
    transports: knownTransports(verdict.credential.transports),
    name,
    createdAt: now,
    lastUsedAt: null,
  };
  const added = await mfa.backend.store.addWebAuthnCredential(user.id, credential, spend);
  if (added === 'missing' || added === 'refused')
    return { ok: false, code: 'INVALID_CODE', reason: 'challenge' };
  if (added === 'duplicate') return { ok: false, code: 'ALREADY_ENROLLED' };
  if (added === 'full') return { ok: false, code: 'VALIDATION', reason: 'limit' };
  await mfa.events.emit(
    'WEBAUTHN_CREDENTIAL_ADDED',
    { credentialId: credential.id, name, backupEligible: credential.backupEligible },
    { user, ctx },
  );
  return { ok: true, credential: credentialInfo(credential) };
}

function defaultName(count: number): string {
  return count === 0 ? 'Passkey' : `Passkey ${count + 1}`;
}
