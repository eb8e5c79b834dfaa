import { expect, it } from 'vitest';
import type { AttemptCheck, AttemptInput, MfaStore, SmsChallenge } from '@mfa-kit/core';
import {
  attemptInput,
  baseTime,
  count,
  expectCode,
  type MakeStore,
  newUserId,
  recovery,
  sms,
  TEST_TOTP_FACTOR,
  withTotpFactor,
  UNREACHABLE_LIMITS,
  UNREACHABLE_LOCK,
} from './conformance-fixtures.js';

const OK = { ok: true, evaluated: true };
const OPEN = { limits: UNREACHABLE_LIMITS, lock: UNREACHABLE_LOCK };
const WINDOW_MS = 10 * 60_000;
const ENROLLED_AT = TEST_TOTP_FACTOR.enrolledAt;

/** A TOTP check bound to the factor enrolled at `enrolledAt`, as core makes it. */
const boundTotp = (step: number | null, enrolledAt = ENROLLED_AT): AttemptCheck => ({
  type: 'totp',
  step,
  enrolledAt,
});

/** `attemptInput` by a named attempt (the retry marker's owner), or by none. */
function by(attemptId: string | null, check: AttemptCheck, now: number): AttemptInput {
  const input = attemptInput(check, now, OPEN);
  return attemptId === null ? input : { ...input, retry: { attemptId, windowMs: WINDOW_MS } };
}

function challenge(purpose: SmsChallenge['purpose'], codeHash: string, expiresAt: number): SmsChallenge {
  return { codeHash, purpose, sealedPhone: 'k1:phone', maskedPhone: '+1 ••• ••• 1234', expiresAt };
}

/** The uncharged refusal of an attempt's retry of its own spend, with the family's failures so far. */
const retryRefusal = (failures = 0, maxFailures = UNREACHABLE_LIMITS.maxFailures) => ({
  ok: false,
  code: 'INVALID_CODE',
  evaluated: false,
  reason: 'retry',
  failures,
  remaining: maxFailures - failures,
});

/**
 * A spend whose answer was lost (the call timed out, then ran on the store):
 * the same attempt presenting the same code again is refused but not charged
 * (the code stays spent, so it completes nothing twice); any other attempt is
 * refused and charged. And the TOTP decision is bound to the factor it was
 * matched against.
 */
export function registerRetryCases(makeStore: MakeStore<MfaStore>): void {
  it('a retry of a spent TOTP step by the same attempt is refused uncharged; any other attempt is a charged replay', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('retry-totp'));
    const now = baseTime();
    const step = Math.floor(now / 30_000);
    expect(await store.attempt(userId, by('attempt-a', boundTotp(step), now))).toEqual(OK);
    // The lost answer's retry: refused, and no failure counted.
    expect(await store.attempt(userId, by('attempt-a', boundTotp(step), now + 1_000))).toEqual(
      retryRefusal(),
    );
    expect((await store.getLimiterStatus(userId, now + 1_000)).families.totp?.failures ?? 0).toBe(0);
    // Another session with the same code: a replay, charged.
    expect(
      expectCode(await store.attempt(userId, by('attempt-b', boundTotp(step), now + 2_000)), 'INVALID_CODE'),
    ).toMatchObject({ reason: 'replay', failures: 1 });
    expect(
      expectCode(await store.attempt(userId, by(null, boundTotp(step), now + 3_000)), 'INVALID_CODE'),
    ).toMatchObject({ reason: 'replay', failures: 2 });
    // The same attempt with an older step than the one it spent is a replay like any other.
    expect(
      expectCode(
        await store.attempt(userId, by('attempt-a', boundTotp(step - 1), now + 4_000)),
        'INVALID_CODE',
      ).reason,
    ).toBe('replay');
    // Past the window the retry is a replay too.
    expect(
      expectCode(
        await store.attempt(userId, by('attempt-a', boundTotp(step), now + WINDOW_MS)),
        'INVALID_CODE',
      ).reason,
    ).toBe('replay');
  });

  it('a retry of a spent recovery code by the same attempt is refused uncharged, spending no other code', async () => {
    const store = await makeStore();
    const userId = newUserId('retry-recovery');
    const now = baseTime();
    await store.replaceRecoveryCodes(userId, ['h1', 'h2']);
    expect(await store.attempt(userId, by('attempt-a', recovery('h1'), now))).toEqual(OK);
    expect(await store.attempt(userId, by('attempt-a', recovery('h1'), now + 1))).toEqual(retryRefusal());
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(1);
    expect(
      expectCode(await store.attempt(userId, by('attempt-b', recovery('h1'), now + 2)), 'INVALID_CODE'),
    ).toMatchObject({ reason: 'mismatch', failures: 1 });
    // A code the attempt never spent is judged as usual (and the marker follows the latest spend).
    expect(
      expectCode(await store.attempt(userId, by('attempt-a', recovery('h9'), now + 3)), 'INVALID_CODE')
        .reason,
    ).toBe('mismatch');
    expect(await store.attempt(userId, by('attempt-c', recovery('h2'), now + 4))).toEqual(OK);
    expect(
      expectCode(await store.attempt(userId, by('attempt-a', recovery('h1'), now + 5)), 'INVALID_CODE')
        .reason,
    ).toBe('mismatch');
    expect(await store.attempt(userId, by('attempt-c', recovery('h2'), now + 6))).toEqual(retryRefusal(1));
  });

  it('a retry of a spent SMS code by the same attempt is refused uncharged; another purpose or attempt is charged', async () => {
    const store = await makeStore();
    const userId = newUserId('retry-sms');
    const now = baseTime();
    await store.putSmsChallenge(userId, challenge('sign-in', 'c1', now + 300_000), now);
    expect(await store.attempt(userId, by('attempt-a', sms('c1'), now))).toEqual(OK);
    expect(await store.attempt(userId, by('attempt-a', sms('c1'), now + 1))).toEqual(retryRefusal());
    expect(
      expectCode(await store.attempt(userId, by('attempt-a', sms('c1', 'setup'), now + 2)), 'INVALID_CODE')
        .reason,
    ).toBe('missing');
    expect(
      expectCode(await store.attempt(userId, by('attempt-b', sms('c1'), now + 3)), 'INVALID_CODE'),
    ).toMatchObject({ reason: 'missing', failures: 1 });
  });

  it('a spend without an attempt id leaves nothing to retry; an unlock and a reset forget the spend', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('retry-forget'));
    const now = baseTime();
    await store.replaceRecoveryCodes(userId, ['h1', 'h2', 'h3']);
    expect(await store.attempt(userId, by('attempt-a', recovery('h1'), now))).toEqual(OK);
    expect(await store.attempt(userId, by(null, recovery('h2'), now + 1))).toEqual(OK);
    expect(
      expectCode(await store.attempt(userId, by('attempt-a', recovery('h1'), now + 2)), 'INVALID_CODE')
        .reason,
    ).toBe('mismatch');
    expect(await store.attempt(userId, by('attempt-a', recovery('h3'), now + 3))).toEqual(OK);
    await store.unlock(userId);
    expect(
      expectCode(await store.attempt(userId, by('attempt-a', recovery('h3'), now + 4)), 'INVALID_CODE')
        .reason,
    ).toBe('mismatch');
    await store.replaceRecoveryCodes(userId, ['h4']);
    expect(await store.attempt(userId, by('attempt-a', recovery('h4'), now + 5))).toEqual(OK);
    await store.resetFactors(userId);
    expect(
      expectCode(await store.attempt(userId, by('attempt-a', recovery('h4'), now + 6)), 'INVALID_CODE')
        .reason,
    ).toBe('mismatch');
  });

  it('a TOTP decision is bound to its factor: a step matched against a replaced secret is a mismatch and spends nothing', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('totp-identity'), 1_000);
    const now = baseTime();
    const step = Math.floor(now / 30_000);
    // A reset and a re-enrolment land between the read of factor 1_000 and the decision.
    await store.resetFactors(userId);
    await withTotpFactor(store, userId, 2_000);
    expect(
      expectCode(await store.attempt(userId, by(null, boundTotp(step, 1_000), now)), 'INVALID_CODE').reason,
    ).toBe('mismatch');
    // The new factor's own code at that step still works: nothing was spent for it.
    expect(await store.attempt(userId, by(null, boundTotp(step, 2_000), now))).toEqual(OK);
    // A retry marker of the old factor is worth nothing for the new one, even at the same step.
    expect(await store.attempt(userId, by('attempt-a', boundTotp(step + 1, 2_000), now + 1))).toEqual(OK);
    await store.setTotp(userId, { ...TEST_TOTP_FACTOR, enrolledAt: 3_000 }, { usedStep: step + 1 });
    expect(
      expectCode(
        await store.attempt(userId, by('attempt-a', boundTotp(step + 1, 3_000), now + 2)),
        'INVALID_CODE',
      ).reason,
    ).toBe('replay');
  });

  it('among parallel attempts with one TOTP code, exactly one is accepted, and only its own retries go uncharged', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('retry-race'));
    const now = baseTime();
    const step = Math.floor(now / 30_000);
    const ids = Array.from({ length: 20 }, (_, i) => `attempt-${i}`);
    const first = await Promise.all(ids.map((id) => store.attempt(userId, by(id, boundTotp(step), now))));
    expect(count(first, (decision) => decision.ok)).toBe(1);
    const winner = ids[first.findIndex((decision) => decision.ok)] as string;
    const again = await Promise.all(ids.map((id) => store.attempt(userId, by(id, boundTotp(step), now + 1))));
    expect(count(again, (decision) => decision.ok)).toBe(0);
    expect(ids.filter((_, i) => !again[i]?.ok && again[i]?.evaluated === false)).toEqual([winner]);
  });

  it('parallel submissions of one code by one attempt: exactly one success, every other one refused uncharged', async () => {
    const store = await makeStore();
    const userId = await withTotpFactor(store, newUserId('retry-same-attempt'));
    const now = baseTime();
    const step = Math.floor(now / 30_000);
    await store.replaceRecoveryCodes(userId, ['h1']);
    const totp = await Promise.all(
      Array.from({ length: 20 }, () => store.attempt(userId, by('attempt-a', boundTotp(step), now))),
    );
    expect(count(totp, (decision) => decision.ok)).toBe(1);
    expect(count(totp, (decision) => !decision.ok && decision.evaluated === false)).toBe(19);
    const codes = await Promise.all(
      Array.from({ length: 20 }, () => store.attempt(userId, by('attempt-b', recovery('h1'), now + 1))),
    );
    expect(count(codes, (decision) => decision.ok)).toBe(1);
    expect(count(codes, (decision) => !decision.ok && decision.evaluated === false)).toBe(19);
    expect((await store.getLimiterStatus(userId, now + 2)).families.totp?.failures ?? 0).toBe(0);
  });
}
