import type { SignInDecision } from '../api.js';
import type { FactorType, MfaPolicy, MfaRecord, MfaUser, RequestContext, TrustedDevice } from '../types.js';
import { assertUser } from './assert-user.js';
import { checkTrustedDevice } from './check-trusted-device.js';
import { factorSatisfies } from './factor-satisfies.js';
import type { MfaContext } from './context.js';
import { reportPassword } from './password.js';
import { computeRequirement, loadPolicy } from './requirement.js';
import { parseTrustedDeviceToken, type TrustedDeviceToken } from './trusted-device-token.js';

/**
 * The trusted-device skip for a user about to be challenged: the device if
 * the token passes {@link checkTrustedDevice} and is still stored when its
 * use is recorded (a revocation racing this sign-in wins), else null with
 * TRUSTED_DEVICE_REFUSED recorded.
 */
async function useTrustedDevice(
  mfa: MfaContext,
  input: {
    user: MfaUser;
    ctx: RequestContext;
    token: TrustedDeviceToken | null;
    device: TrustedDevice | null;
    policy: MfaPolicy;
    record: MfaRecord;
    now: number;
  },
): Promise<{ id: string; factor: FactorType } | null> {
  const { user, ctx, token, device } = input;
  let refusal =
    token === null
      ? 'unknown'
      : checkTrustedDevice({
          token,
          device,
          user,
          policy: input.policy,
          requirement: computeRequirement(input.policy, user, input.record),
          epoch: input.record.epoch,
          now: input.now,
          hasher: mfa.hasher,
        });
  if (refusal === null && device !== null) {
    if (await mfa.backend.trustedDevices.touch(user.id, device.id, input.now)) {
      await mfa.events.emit(
        'TRUSTED_DEVICE_USED',
        { deviceId: device.id, factor: device.factor },
        { user, ctx },
      );
      return { id: device.id, factor: device.factor };
    }
    refusal = 'unknown';
  }
  const known = refusal !== 'unknown' && device !== null;
  await mfa.events.emit(
    'TRUSTED_DEVICE_REFUSED',
    { deviceId: known ? device.id : null, reason: refusal ?? 'unknown' },
    { user, ctx },
  );
  return null;
}

/** What a sign-in decision reads, in one round trip of latency, beside the limiter's `gate`. */
interface SignInReads<T> {
  gate: T;
  now: number;
  presented: unknown;
  token: TrustedDeviceToken | null;
  policy: MfaPolicy;
  record: MfaRecord | null;
  device: TrustedDevice | null;
}

async function readForSignIn<T>(
  mfa: MfaContext,
  user: MfaUser,
  input: { trustedDeviceToken?: unknown },
  gate: (now: number) => Promise<T>,
): Promise<SignInReads<T>> {
  assertUser(user);
  const now = mfa.now();
  const presented = input?.trustedDeviceToken;
  const token = presented === undefined ? null : parseTrustedDeviceToken(presented);
  const [gated, policy, record, device] = await Promise.all([
    gate(now),
    loadPolicy(mfa),
    mfa.backend.store.getRecord(user.id),
    token === null ? null : mfa.backend.trustedDevices.get(user.id, token.id),
  ]);
  return { gate: gated, now, presented, token, policy, record, device };
}

/**
 * What happens after the app's password step. Policy, record and limiter are
 * read in parallel (one round trip of latency).
 *
 * A user who HAS enrolled a factor is always challenged, even when their
 * organisation is outside the rollout or MFA became optional: rolling a
 * policy back must never silently remove a second factor someone set up
 * (the safe reading of seed 000, whose "never sees MFA" is about users who
 * were never offered it). Users without factors outside the rollout log in
 * with no MFA prompt at all.
 */
export async function startSignIn(
  mfa: MfaContext,
  user: MfaUser,
  ctx: RequestContext,
  input: { trustedDeviceToken?: unknown } = {},
): Promise<SignInDecision> {
  const reads = await readForSignIn(mfa, user, input, (now) =>
    mfa.backend.store.getLimiterStatus(user.id, now),
  );
  const { gate: limiter, now } = reads;
  if (limiter.locked) {
    return {
      next: 'refused',
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: limiter.lockedUntil === null ? null : Math.max(0, limiter.lockedUntil - now),
    };
  }
  const passwordCooldown = limiter.families.password?.cooldownUntil ?? null;
  if (passwordCooldown !== null && passwordCooldown > now) {
    return { next: 'refused', code: 'COOLDOWN', retryAfterMs: passwordCooldown - now };
  }
  return decideSignIn(mfa, { user, ctx, ...reads });
}

/**
 * A correct password, reported and decided in one round trip: the password
 * report (one atomic limiter decision, as `password.report(user, true)`)
 * goes out beside the policy, record (and trusted-device) reads. The report
 * refuses a locked or cooling-down user itself, so no limiter status is
 * read; otherwise the decision is `startSignIn`'s from the same reads.
 */
export async function signInWithPassword(
  mfa: MfaContext,
  user: MfaUser,
  ctx: RequestContext,
  input: { trustedDeviceToken?: unknown } = {},
): Promise<SignInDecision> {
  const reads = await readForSignIn(mfa, user, input, () => reportPassword(mfa, user, true, ctx));
  const report = reads.gate;
  if (!report.ok) {
    if (report.code === 'INVALID_CODE') throw new Error('a correct password was reported as wrong');
    return { next: 'refused', code: report.code, retryAfterMs: report.retryAfterMs };
  }
  return decideSignIn(mfa, { user, ctx, ...reads });
}

/** What follows a password step the limiter let through, from the policy, the record and a presented device. */
async function decideSignIn(
  mfa: MfaContext,
  input: {
    user: MfaUser;
    ctx: RequestContext;
    policy: MfaPolicy;
    record: MfaRecord | null;
    now: number;
    presented: unknown;
    token: TrustedDeviceToken | null;
    device: TrustedDevice | null;
  },
): Promise<SignInDecision> {
  const { user, ctx, policy, record, now, presented, token, device } = input;
  const epoch = record?.epoch ?? 0;

  if (record !== null && (record.totp !== null || record.sms !== null || record.webauthn.length > 0)) {
    if (presented !== undefined) {
      const trusted = await useTrustedDevice(mfa, { user, ctx, token, device, policy, record, now });
      if (trusted !== null)
        return {
          next: 'login',
          reason: 'trusted-device',
          offerEnrolment: false,
          graceRemaining: null,
          epoch,
          trustedDevice: trusted,
        };
    }
    const factors: FactorType[] = [];
    if (record.webauthn.length > 0) factors.push('webauthn');
    if (record.totp !== null) factors.push('totp');
    if (record.sms !== null) factors.push('sms');
    if (record.recoveryCodesRemaining > 0) factors.push('recovery');
    // Offer only what satisfies the policy, unless nothing the user has does (they then register a passkey).
    const requirement = computeRequirement(policy, user, record);
    const satisfying = factors.filter((factor) => factorSatisfies(requirement, factor));
    return {
      next: 'challenge',
      factors: satisfying.length > 0 ? satisfying : factors,
      maskedPhone: record.sms?.maskedPhone ?? null,
      epoch,
      carried: { totp: record.totp, recoveryCodesRemaining: record.recoveryCodesRemaining },
    };
  }

  const requirement = computeRequirement(policy, user, record);
  if (!requirement.available) {
    return { next: 'login', reason: 'not-rolled-out', offerEnrolment: false, graceRemaining: null, epoch };
  }
  if (!requirement.required) {
    return { next: 'login', reason: 'optional', offerEnrolment: true, graceRemaining: null, epoch };
  }

  // Required and not enrolled: grace (N sign-ins and/or until a date; both limits apply when both are set).
  const grace = policy.grace;
  if (grace !== null && (grace.until === undefined || now < grace.until)) {
    let signInsLeft: number | null = null;
    let within = true;
    if (grace.signIns !== undefined) {
      // Counted atomically so parallel sign-ins can't each use the last grace sign-in.
      const used = await mfa.backend.store.incrementGraceSignIns(user.id);
      within = used <= grace.signIns;
      signInsLeft = Math.max(0, grace.signIns - used);
    }
    if (within) {
      return {
        next: 'login',
        reason: 'grace',
        offerEnrolment: true,
        graceRemaining: { signIns: signInsLeft, until: grace.until ?? null },
        epoch,
      };
    }
  }
  return { next: 'enrol', reason: requirement.reason, epoch };
}
