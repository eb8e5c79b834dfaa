import { MfaError } from '../errors.js';
import { generateRecoveryCodes, normalizeRecoveryCode } from '../recovery-codes/index.js';
import type { MfaUser, RequestContext } from '../types.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { hashRecoveryCode } from './verify.js';

/**
 * Creates a new set, stores only its keyed hashes (replacing the whole old
 * set, so old codes stop working) and returns the codes for showing once.
 */
export async function issueRecoveryCodes(mfa: MfaContext, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes(mfa.options.random, mfa.options.recoveryCodes.count);
  const hashes = codes.map((code) => {
    const canonical = normalizeRecoveryCode(code);
    if (canonical === null) {
      throw new MfaError('CONFIGURATION', { message: 'generated recovery code does not normalise' });
    }
    return hashRecoveryCode(mfa, userId, canonical);
  });
  await mfa.backend.store.replaceRecoveryCodes(userId, hashes);
  return codes;
}

/**
 * Self-service regeneration. The caller (router) checks a fresh second factor
 * first; here the user must have a factor, since codes alone are not MFA.
 */
export async function regenerateRecoveryCodes(
  mfa: MfaContext,
  user: MfaUser,
  ctx: RequestContext,
): Promise<string[]> {
  assertUser(user);
  const record = await mfa.backend.store.getRecord(user.id);
  if (record === null || (record.totp === null && record.sms === null)) throw new MfaError('NOT_ENROLLED');
  const codes = await issueRecoveryCodes(mfa, user.id);
  await mfa.events.emit('RECOVERY_CODES_REGENERATED', { count: codes.length }, { user, ctx });
  return codes;
}
