import { expect, it } from 'vitest';
import type { MfaStore, SmsChallenge } from '@mfa-kit/core';
import {
  attemptInput,
  baseTime,
  expectCode,
  type MakeStore,
  newUserId,
  TEST_TOTP_FACTOR,
  withTotpFactor,
  outcome,
  recovery,
  sms,
  totp,
  UNREACHABLE_LIMITS,
  UNREACHABLE_LOCK,
} from './conformance-fixtures.js';

const OK = { ok: true, evaluated: true };
/** Limits no test in this file reaches, so every check is evaluated. */
const OPEN = { limits: UNREACHABLE_LIMITS, lock: UNREACHABLE_LOCK };

function challenge(purpose: SmsChallenge['purpose'], codeHash: string, expiresAt: number): SmsChallenge {
  return { codeHash, purpose, sealedPhone: 'k1:phone', maskedPhone: '+1 ••• ••• 1234', expiresAt };
}

/** Step 3 of `MfaStore.attempt`: how each kind of check is evaluated. */
export function registerAttemptCases(makeStore: MakeStore<MfaStore>): void {
  it('totp: accepts a newer step once and rejects the same or an older step as a replay', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('totp'));
    const now = baseTime();
    const attempt = (step: number | null) => store.attempt(userId, attemptInput(totp(step), now, OPEN));
    expect(await attempt(56_666_000)).toEqual(OK);
    expect(expectCode(await attempt(56_666_000), 'INVALID_CODE')).toMatchObject({
      reason: 'replay',
      evaluated: true,
    });
    expect(expectCode(await attempt(56_665_999), 'INVALID_CODE').reason).toBe('replay');
    expect(await attempt(56_666_001)).toEqual(OK);
    expect(expectCode(await attempt(56_666_000), 'INVALID_CODE').reason).toBe('replay');
    expect(expectCode(await attempt(null), 'INVALID_CODE').reason).toBe('mismatch');
    // A failure does not move the last accepted step.
    expect(await attempt(56_666_002)).toEqual(OK);
  });

  it('totp: replay state belongs to the factor (a new factor starts clean; no factor matches nothing)', async () => {
    const store = await makeStore();
    const userId = newUserId('totp-factor');
    const now = baseTime();
    const attempt = (step: number) => store.attempt(userId, attemptInput(totp(step), now, OPEN));
    expect(expectCode(await attempt(56_666_000), 'INVALID_CODE').reason).toBe('mismatch');
    await withTotpFactor(store, userId, 1);
    expect(await attempt(56_666_000)).toEqual(OK);
    // The same factor re-sealed (same enrolledAt, as key rotation does) keeps its used steps.
    await withTotpFactor(store, userId, 1);
    expect(expectCode(await attempt(56_666_000), 'INVALID_CODE').reason).toBe('replay');
    // A new factor: its first code works at once, even in the same step.
    await withTotpFactor(store, userId, 2);
    expect(await attempt(56_666_000)).toEqual(OK);
    // A factor confirmed by a code starts with that code's step used.
    await store.setTotp(userId, { ...TEST_TOTP_FACTOR, enrolledAt: 3 }, { usedStep: 56_666_001 });
    expect(expectCode(await attempt(56_666_001), 'INVALID_CODE').reason).toBe('replay');
    expect(await attempt(56_666_002)).toEqual(OK);
    // Removing the factor removes its state; a reset too.
    await store.setTotp(userId, null);
    expect(expectCode(await attempt(56_666_003), 'INVALID_CODE').reason).toBe('mismatch');
    await withTotpFactor(store, userId, 4);
    expect(await attempt(56_666_002)).toEqual(OK);
    await store.resetFactors(userId);
    await withTotpFactor(store, userId, 5);
    expect(await attempt(56_666_002)).toEqual(OK);
  });

  it('recovery: a code works once, then it is gone', async () => {
    const store = await makeStore();
    const userId = newUserId('recovery');
    const now = baseTime();
    const attempt = (hash: string | null) => store.attempt(userId, attemptInput(recovery(hash), now, OPEN));
    await store.replaceRecoveryCodes(userId, ['h1', 'h2']);
    expect(await attempt('h1')).toEqual(OK);
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(1);
    expect(expectCode(await attempt('h1'), 'INVALID_CODE').reason).toBe('mismatch');
    expect(expectCode(await attempt('unknown'), 'INVALID_CODE').reason).toBe('mismatch');
    expect(expectCode(await attempt(null), 'INVALID_CODE').reason).toBe('mismatch');
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(1);
    expect(await attempt('h2')).toEqual(OK);
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(0);
  });

  it('recovery: a user without codes gets a mismatch', async () => {
    const store = await makeStore();
    const decision = await store.attempt(
      newUserId('no-codes'),
      attemptInput(recovery('h1'), baseTime(), OPEN),
    );
    expect(expectCode(decision, 'INVALID_CODE').reason).toBe('mismatch');
  });

  it('sms: checks the challenge of its purpose, keeps it on a wrong code, deletes it on success', async () => {
    const store = await makeStore();
    const userId = newUserId('sms');
    const now = baseTime();
    const attempt = (hash: string | null, purpose: SmsChallenge['purpose'] = 'sign-in') =>
      store.attempt(userId, attemptInput(sms(hash, purpose), now, OPEN));
    expect(expectCode(await attempt('code-hash'), 'INVALID_CODE').reason).toBe('missing');
    await store.putSmsChallenge(userId, challenge('sign-in', 'code-hash', now + 60_000), now);
    expect(expectCode(await attempt('code-hash', 'setup'), 'INVALID_CODE').reason).toBe('missing');
    expect(expectCode(await attempt('other-hash'), 'INVALID_CODE').reason).toBe('mismatch');
    expect(expectCode(await attempt(null), 'INVALID_CODE').reason).toBe('mismatch');
    expect(await store.getSmsChallenge(userId, 'sign-in', now)).not.toBeNull();
    expect(await attempt('code-hash')).toEqual(OK);
    expect(await store.getSmsChallenge(userId, 'sign-in', now)).toBeNull();
    expect(expectCode(await attempt('code-hash'), 'INVALID_CODE').reason).toBe('missing');
  });

  it('sms: a challenge past its expiry is missing, even with the right code', async () => {
    const store = await makeStore();
    const userId = newUserId('sms-expiry');
    const now = baseTime();
    await store.putSmsChallenge(userId, challenge('setup', 'code-hash', now + 1_000), now);
    const late = await store.attempt(userId, attemptInput(sms('code-hash', 'setup'), now + 1_001, OPEN));
    expect(expectCode(late, 'INVALID_CODE').reason).toBe('missing');
    const fresh = newUserId('sms-expiry');
    await store.putSmsChallenge(fresh, challenge('setup', 'code-hash', now + 1_000), now);
    expect(await store.attempt(fresh, attemptInput(sms('code-hash', 'setup'), now + 999, OPEN))).toEqual(OK);
  });

  it('outcome: succeeds iff the app says so', async () => {
    const store = await makeStore();
    const userId = newUserId('outcome');
    const now = baseTime();
    expect(await store.attempt(userId, attemptInput(outcome(true), now, OPEN))).toEqual(OK);
    const failed = expectCode(
      await store.attempt(userId, attemptInput(outcome(false), now, OPEN)),
      'INVALID_CODE',
    );
    expect(failed).toMatchObject({ reason: 'mismatch', evaluated: true, failures: 1 });
  });
}
