import type { SmsSendResult } from '../api.js';
import type { MfaUser, RequestContext } from '../types.js';
import { assertUser } from './assert-user.js';
import { type MfaContext, phoneAssociatedData } from './context.js';
import { gateFromStatus } from './limiter-gate.js';
import { parsePhoneNumber } from '../phone/index.js';
import { sendSmsCode } from './sms-send.js';

/**
 * Sends (or resends: the same call) a sign-in code to the enrolled number.
 * A new code never resets the failure budget, which counts per user and
 * family in the store, not per code.
 */
export async function sendSmsSignInCode(
  mfa: MfaContext,
  user: MfaUser,
  ctx: RequestContext,
): Promise<SmsSendResult> {
  assertUser(user);
  const now = mfa.now();
  const [record, status] = await Promise.all([
    mfa.backend.store.getRecord(user.id),
    mfa.backend.store.getLimiterStatus(user.id, now),
  ]);
  if (record?.sms == null) return { ok: false, code: 'NOT_ENROLLED' };
  const refusal = gateFromStatus(status, 'sms', now);
  if (refusal !== null) return refusal;
  const e164 = mfa.sealer.open(record.sms.sealedPhone, phoneAssociatedData(user.id));
  const parsed = parsePhoneNumber(e164);
  return sendSmsCode(
    mfa,
    user,
    'sign-in',
    {
      e164,
      callingCode: parsed?.callingCode ?? 'unknown',
      masked: record.sms.maskedPhone,
      sealedPhone: record.sms.sealedPhone,
    },
    ctx,
  );
}

/**
 * "It's not my phone number" (seed 004): records NOT_MY_NUMBER with the masked
 * number, removes the SMS factor and the pending sign-in code so nothing more
 * is sent there, and tells the user to contact an administrator.
 *
 * If SMS was the user's only factor the account is also locked (reason
 * `not-my-number`): otherwise anyone who knows the password could press the
 * button to strip the second factor and sign in without MFA. An admin who has
 * checked the user's identity unlocks (or resets) it.
 */
export async function reportNotMyNumber(mfa: MfaContext, user: MfaUser, ctx: RequestContext): Promise<void> {
  assertUser(user);
  const record = await mfa.backend.store.getRecord(user.id);
  if (record?.sms == null) return;
  const { maskedPhone } = record.sms;
  const now = mfa.now();
  const lockId = Buffer.from(mfa.options.random.bytes(16)).toString('hex');
  const strips = record.totp === null;
  if (strips) await mfa.backend.store.lock(user.id, { now, reason: 'not-my-number', lockId, until: null });
  await Promise.all([
    mfa.backend.store.setSms(user.id, null),
    mfa.backend.store.deleteSmsChallenge(user.id, 'sign-in'),
  ]);
  await mfa.events.emit('NOT_MY_NUMBER', { maskedPhone }, { user, ctx });
  if (strips) {
    await mfa.events.emit(
      'ACCOUNT_LOCK',
      { lockId, reason: 'not-my-number', until: null, family: 'sms' },
      { user, ctx },
    );
  }
}
