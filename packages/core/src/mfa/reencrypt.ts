import type { ReencryptAllOptions, ReencryptAllResult, ReencryptResult } from '../api.js';
import { isMfaError, MfaError } from '../errors.js';
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

/** Default users per batch of {@link reencryptAllUsers}: one page of ids, re-sealed in parallel. */
export const DEFAULT_REENCRYPT_BATCH_SIZE = 100;
/** Largest batch: bounds the parallel store calls one batch makes. */
const MAX_REENCRYPT_BATCH_SIZE = 1_000;
/** Failed user ids kept in the result; `failed` still counts every one. */
export const MAX_LISTED_REENCRYPT_FAILURES = 100;

/**
 * Whether a per-user failure means "this user's data can't be opened with
 * these keys" (count it and go on) rather than an infrastructure failure
 * (stop: every later user would fail the same way).
 */
function isUserFailure(error: unknown): boolean {
  // KEY_UNAVAILABLE: unknown key id, wrong key or tampered ciphertext; VALIDATION:
  // an id in the store this instance can't handle (e.g. longer than it allows).
  return isMfaError(error, 'KEY_UNAVAILABLE') || isMfaError(error, 'VALIDATION');
}

/**
 * Key rotation over every user: pages through `MfaStore.listUserIds` and
 * re-seals each user with {@link reencryptUser}, a batch at a time. Per-user
 * key failures are counted, not thrown, so one bad record can't block the
 * rotation of the others; any other error stops the run (it is safe to run
 * again: users already under the current key are skipped). The listing is
 * not a snapshot (see `listUserIds`): users enrolled during the run are
 * sealed under the current key anyway.
 */
export async function reencryptAllUsers(
  mfa: MfaContext,
  options: ReencryptAllOptions = {},
): Promise<ReencryptAllResult> {
  const batchSize = options.batchSize ?? DEFAULT_REENCRYPT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_REENCRYPT_BATCH_SIZE) {
    throw new MfaError('VALIDATION', {
      message: `batchSize must be an integer from 1 to ${MAX_REENCRYPT_BATCH_SIZE}`,
      fields: { batchSize: 'invalid' },
    });
  }
  const { store } = mfa.backend;
  const result: ReencryptAllResult = { scanned: 0, resealed: 0, failed: 0, failedUserIds: [] };
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof store.listUserIds>> = await store.listUserIds({
      cursor,
      count: batchSize,
    });
    const outcomes = await Promise.allSettled(page.userIds.map((userId) => reencryptUser(mfa, userId)));
    for (const [i, outcome] of outcomes.entries()) {
      result.scanned += 1;
      if (outcome.status === 'fulfilled') {
        if (outcome.value.totp || outcome.value.sms) result.resealed += 1;
      } else if (isUserFailure(outcome.reason)) {
        result.failed += 1;
        if (result.failedUserIds.length < MAX_LISTED_REENCRYPT_FAILURES) {
          result.failedUserIds.push(page.userIds[i] as string);
        }
      } else {
        throw outcome.reason;
      }
    }
    options.onProgress?.({ scanned: result.scanned, resealed: result.resealed, failed: result.failed });
    cursor = page.nextCursor;
  } while (cursor !== null);
  return result;
}
