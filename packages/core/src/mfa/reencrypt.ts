import type { ReencryptResult } from '../api.js';
import { MfaError } from '../errors.js';
import { MAX_USER_ID_LENGTH } from '../defaults.js';
import { type MfaContext, phoneAssociatedData, totpAssociatedData } from './context.js';

/**
 * Key rotation helper: re-seals a user's TOTP secret and phone under the
 * current key id. The record is read again right before writing and the
 * write is skipped when the epoch moved (a reset or disable happened
 * meanwhile), so rotation can't bring back a removed factor.
 */
export async function reencryptUser(mfa: MfaContext, userId: string): Promise<ReencryptResult> {
  if (typeof userId !== 'string' || userId === '' || userId.length > MAX_USER_ID_LENGTH) {
    throw new MfaError('VALIDATION', {
      message: 'userId must be a non-empty string',
      fields: { userId: 'invalid' },
    });
  }
  const { store } = mfa.backend;
  const record = await store.getRecord(userId);
  const result: ReencryptResult = { totp: false, sms: false };
  if (record === null) return result;
  const totp =
    record.totp && mfa.sealer.needsReseal(record.totp.sealedSecret)
      ? {
          ...record.totp,
          sealedSecret: mfa.sealer.reseal(record.totp.sealedSecret, totpAssociatedData(userId)),
        }
      : null;
  const sms =
    record.sms && mfa.sealer.needsReseal(record.sms.sealedPhone)
      ? { ...record.sms, sealedPhone: mfa.sealer.reseal(record.sms.sealedPhone, phoneAssociatedData(userId)) }
      : null;
  if (totp === null && sms === null) return result;
  const again = await store.getRecord(userId);
  if (again === null || again.epoch !== record.epoch) return result;
  if (totp !== null && again.totp?.sealedSecret === record.totp?.sealedSecret) {
    await store.setTotp(userId, totp);
    result.totp = true;
  }
  if (sms !== null && again.sms?.sealedPhone === record.sms?.sealedPhone) {
    await store.setSms(userId, sms);
    result.sms = true;
  }
  return result;
}
