import type { VerifyResult } from '../api.js';
import type { FactorType, MfaUser, RequestContext } from '../types.js';
import { afterSessionsEnded } from './after-sessions-ended.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { computeRequirement, loadPolicy } from './requirement.js';
import { verifyFactor } from './verify.js';
import { verifyWebAuthnSignIn } from './webauthn-sign-in.js';

/** What proves presence for `disable`: a code of a factor, or a passkey assertion of a step-up ceremony. */
type DisableProof =
  | { factor: FactorType; code: unknown }
  | { factor: 'webauthn'; response: unknown; binding: string };

/**
 * Self-service disable (seed 001 step 5–6, seed 002 "only if MFA is not
 * enforced"). The proof goes through the same limiter path as sign-in, so a
 * recovery code used as proof is consumed and wrong proofs count toward the
 * cooldown and lock; a passkey proves it with an assertion made for a
 * step-up challenge (`webauthn.stepUpOptions`) bound to the same `binding`.
 * Then every factor goes, the epoch moves and every session is revoked
 * ("redirected to log in again").
 */
export async function disableMfa(
  mfa: MfaContext,
  user: MfaUser,
  proof: DisableProof,
  ctx: RequestContext,
): Promise<VerifyResult | { ok: false; code: 'POLICY_FORBIDS' }> {
  assertUser(user);
  const [policy, record] = await Promise.all([loadPolicy(mfa), mfa.backend.store.getRecord(user.id)]);
  if (computeRequirement(policy, user, record).required) return { ok: false, code: 'POLICY_FORBIDS' };
  const result =
    proof !== null && typeof proof === 'object' && 'response' in proof && proof.factor === 'webauthn'
      ? await verifyWebAuthnSignIn(mfa, user, proof, ctx, 'step-up')
      : await verifyFactor(mfa, user, proof?.factor, (proof as { code?: unknown } | null)?.code, ctx);
  if (!result.ok) return result;
  const factors: FactorType[] = [];
  if (record?.totp) factors.push('totp');
  if (record?.sms) factors.push('sms');
  if ((record?.webauthn.length ?? 0) > 0) factors.push('webauthn');
  if ((record?.recoveryCodesRemaining ?? 0) > 0) factors.push('recovery');
  await mfa.backend.store.resetFactors(user.id);
  await afterSessionsEnded(
    mfa,
    user.id,
    mfa.events.emit('DISABLED', { factors }, { user, ctx, actor: { kind: 'user', id: user.id } }),
  );
  return { ...result, recoveryCodesRemaining: 0 };
}
