import { expect, it } from 'vitest';
import type { MfaStore, SmsChallenge, SmsFactor, TotpFactor } from '@mfa-kit/core';
import { attemptInput, baseTime, type MakeStore, newUserId, recovery, totp } from './conformance-fixtures.js';

const TOTP_FACTOR: TotpFactor = {
  sealedSecret: 'k1:sealed-secret',
  algorithm: 'SHA1',
  digits: 6,
  periodInSeconds: 30,
  enrolledAt: 1_700_000_000_000,
};
const SMS_FACTOR: SmsFactor = {
  sealedPhone: 'k1:sealed-phone',
  maskedPhone: '+1 ••• ••• 1234',
  enrolledAt: 1_700_000_000_001,
};

function challenge(purpose: SmsChallenge['purpose'], codeHash: string, expiresAt: number): SmsChallenge {
  return { codeHash, purpose, sealedPhone: `k1:phone-${purpose}`, maskedPhone: '+1 ••• ••• 9876', expiresAt };
}

/** Records, factors, recovery-code sets, epochs, grace sign-ins and SMS challenges. */
export function registerRecordCases(makeStore: MakeStore<MfaStore>): void {
  it('returns null for a user without a record', async () => {
    const store = await makeStore();
    expect(await store.getRecord(newUserId('missing'))).toBeNull();
  });

  it('creates the record on setTotp and removes the factor with null', async () => {
    const store = await makeStore();
    const userId = newUserId('totp');
    await store.setTotp(userId, TOTP_FACTOR);
    expect(await store.getRecord(userId)).toEqual({
      userId,
      totp: TOTP_FACTOR,
      sms: null,
      webauthn: [],
      recoveryCodesRemaining: 0,
      epoch: 0,
      graceSignInsUsed: 0,
    });
    await store.setTotp(userId, null);
    expect((await store.getRecord(userId))?.totp).toBeNull();
  });

  it('setTotp with onlyIfAbsent never replaces a factor, even 20 in parallel (one is set, its used step kept)', async () => {
    const store = await makeStore();
    const userId = newUserId('only-if-absent');
    const factors = Array.from({ length: 20 }, (_, i) => ({
      ...TOTP_FACTOR,
      sealedSecret: `k1:secret-${i}`,
      enrolledAt: TOTP_FACTOR.enrolledAt + i,
    }));
    const answers = await Promise.all(
      factors.map((factor, i) => store.setTotp(userId, factor, { usedStep: 1_000 + i, onlyIfAbsent: true })),
    );
    expect(answers.filter((set) => set)).toHaveLength(1);
    const winner = answers.indexOf(true);
    expect((await store.getRecord(userId))?.totp).toEqual(factors[winner]);
    // Its first used step is the one it was set with: that step is a replay, the next one is not.
    const step = 1_000 + winner;
    const check = (s: number) =>
      attemptInput({ type: 'totp', step: s, enrolledAt: factors[winner]?.enrolledAt }, baseTime());
    expect(await store.attempt(userId, check(step))).toMatchObject({ ok: false, reason: 'replay' });
    expect(await store.attempt(userId, check(step + 1))).toMatchObject({ ok: true });
    // Without the option a factor is replaced as before (key rotation, tests).
    expect(await store.setTotp(userId, TOTP_FACTOR)).toBe(true);
    expect((await store.getRecord(userId))?.totp).toEqual(TOTP_FACTOR);
  });

  it('sets and removes the SMS factor independently of TOTP', async () => {
    const store = await makeStore();
    const userId = newUserId('sms');
    await store.setSms(userId, SMS_FACTOR);
    await store.setTotp(userId, TOTP_FACTOR);
    expect(await store.getRecord(userId)).toMatchObject({ totp: TOTP_FACTOR, sms: SMS_FACTOR });
    await store.setSms(userId, null);
    expect(await store.getRecord(userId)).toMatchObject({ totp: TOTP_FACTOR, sms: null });
  });

  it('hands out copies: mutating a returned record changes nothing stored', async () => {
    const store = await makeStore();
    const userId = newUserId('copy');
    const factor = { ...TOTP_FACTOR };
    await store.setTotp(userId, factor);
    factor.sealedSecret = 'changed-after-set';
    const first = await store.getRecord(userId);
    if (first?.totp == null) throw new Error('expected a TOTP factor');
    first.totp.sealedSecret = 'changed-after-get';
    expect((await store.getRecord(userId))?.totp?.sealedSecret).toBe(TOTP_FACTOR.sealedSecret);
  });

  it('replaces the whole recovery-code set and counts what is left', async () => {
    const store = await makeStore();
    const userId = newUserId('codes');
    const now = baseTime();
    await store.replaceRecoveryCodes(userId, ['h1', 'h2', 'h3']);
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(3);
    await store.replaceRecoveryCodes(userId, ['n1', 'n2']);
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(2);
    // An old code is gone with its set; a new one works.
    expect(await store.attempt(userId, attemptInput(recovery('h1'), now))).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(await store.attempt(userId, attemptInput(recovery('n1'), now))).toEqual({
      ok: true,
      evaluated: true,
    });
    await store.replaceRecoveryCodes(userId, []);
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(0);
    expect((await store.attempt(userId, attemptInput(recovery('n2'), now))).ok).toBe(false);
  });

  it('bumps the epoch by one each time and records it', async () => {
    const store = await makeStore();
    const userId = newUserId('epoch');
    expect(await store.bumpEpoch(userId)).toBe(1);
    expect(await store.bumpEpoch(userId)).toBe(2);
    expect((await store.getRecord(userId))?.epoch).toBe(2);
  });

  it('reads the epoch cheaply: 0 without a record, then what bumps left', async () => {
    const store = await makeStore();
    const userId = newUserId('get-epoch');
    expect(await store.getEpoch(userId)).toBe(0);
    await store.bumpEpoch(userId);
    expect(await store.getEpoch(userId)).toBe(1);
    await store.resetFactors(userId);
    expect(await store.getEpoch(userId)).toBe(2);
  });

  it('bumps the epoch when a factor is removed, not when one is added or replaced', async () => {
    const store = await makeStore();
    const userId = newUserId('factor-epoch');
    await store.setTotp(userId, TOTP_FACTOR);
    await store.setSms(userId, SMS_FACTOR);
    await store.setTotp(userId, { ...TOTP_FACTOR, enrolledAt: 2 });
    expect(await store.getEpoch(userId)).toBe(0);
    await store.setSms(userId, null);
    expect(await store.getEpoch(userId)).toBe(1);
    await store.setSms(userId, null);
    expect(await store.getEpoch(userId)).toBe(1);
    await store.setTotp(userId, null);
    expect(await store.getEpoch(userId)).toBe(2);
  });

  it('an admin lock bumps the epoch with the lock', async () => {
    const store = await makeStore();
    const userId = newUserId('lock-epoch');
    await store.lock(userId, { now: baseTime(), reason: 'admin', lockId: 'l1', until: null });
    expect(await store.getEpoch(userId)).toBe(1);
    expect((await store.getLimiterStatus(userId, baseTime())).locked).toBe(true);
  });

  it('counts grace sign-ins', async () => {
    const store = await makeStore();
    const userId = newUserId('grace');
    expect(await store.incrementGraceSignIns(userId)).toBe(1);
    expect(await store.incrementGraceSignIns(userId)).toBe(2);
    expect((await store.getRecord(userId))?.graceSignInsUsed).toBe(2);
  });

  it("resetFactors removes factors (with the TOTP factor's used steps), codes, challenges and grace, bumps the epoch, keeps the limiter state", async () => {
    const store = await makeStore();
    const userId = newUserId('reset');
    const now = baseTime();
    await store.setTotp(userId, TOTP_FACTOR);
    await store.setSms(userId, SMS_FACTOR);
    await store.replaceRecoveryCodes(userId, ['h1', 'h2']);
    await store.incrementGraceSignIns(userId);
    const epochBefore = await store.bumpEpoch(userId);
    await store.putSmsChallenge(userId, challenge('sign-in', 'c1', now + 60_000), now);
    await store.putSmsChallenge(userId, challenge('setup', 'c2', now + 60_000), now);
    expect(await store.attempt(userId, attemptInput(totp(1_000), now))).toEqual({
      ok: true,
      evaluated: true,
    });
    await store.attempt(userId, attemptInput(recovery('wrong'), now));

    const epoch = await store.resetFactors(userId);

    expect(epoch).toBe(epochBefore + 1);
    expect(await store.getRecord(userId)).toEqual({
      userId,
      totp: null,
      sms: null,
      webauthn: [],
      recoveryCodesRemaining: 0,
      epoch,
      graceSignInsUsed: 0,
    });
    expect(await store.getSmsChallenge(userId, 'sign-in', now)).toBeNull();
    expect(await store.getSmsChallenge(userId, 'setup', now)).toBeNull();
    const status = await store.getLimiterStatus(userId, now);
    expect(status.families.recovery?.failures).toBe(1);
    expect(status.consecutiveFailures).toBe(1);
    // The old factor is gone, so its codes match nothing; a new factor starts with no used steps (issue 9).
    expect(await store.attempt(userId, attemptInput(totp(1_000), now))).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
      reason: 'mismatch',
    });
    await store.setTotp(userId, { ...TOTP_FACTOR, enrolledAt: TOTP_FACTOR.enrolledAt + 1 });
    expect(await store.attempt(userId, attemptInput(totp(1_000), now))).toEqual({
      ok: true,
      evaluated: true,
    });
    expect((await store.attempt(userId, attemptInput(recovery('h1'), now))).ok).toBe(false);
  });

  it('resetFactors on a user without a record starts the epoch at 1 and keeps it', async () => {
    const store = await makeStore();
    const userId = newUserId('reset-new');
    expect(await store.resetFactors(userId)).toBe(1);
    expect((await store.getRecord(userId))?.epoch).toBe(1);
  });

  it('keeps one SMS challenge per purpose, replaces, expires and deletes them', async () => {
    const store = await makeStore();
    const userId = newUserId('challenge');
    const now = baseTime();
    const signIn = challenge('sign-in', 'c1', now + 60_000);
    await store.putSmsChallenge(userId, signIn, now);
    expect(await store.getSmsChallenge(userId, 'sign-in', now)).toEqual(signIn);
    expect(await store.getSmsChallenge(userId, 'setup', now)).toBeNull();

    const replacement = challenge('sign-in', 'c2', now + 120_000);
    await store.putSmsChallenge(userId, replacement, now);
    expect(await store.getSmsChallenge(userId, 'sign-in', now)).toEqual(replacement);

    const setup = challenge('setup', 'c3', now + 30_000);
    await store.putSmsChallenge(userId, setup, now);
    expect(await store.getSmsChallenge(userId, 'setup', now + 29_999)).toEqual(setup);
    expect(await store.getSmsChallenge(userId, 'setup', now + 30_001)).toBeNull();

    await store.deleteSmsChallenge(userId, 'sign-in');
    expect(await store.getSmsChallenge(userId, 'sign-in', now)).toBeNull();
    await store.deleteSmsChallenge(userId, 'sign-in');
  });
}
