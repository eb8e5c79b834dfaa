import type { AttemptCheck, AttemptInput } from '../types.js';

/**
 * The last spend made by an attempt that named itself (`AttemptInput.retry`):
 * which attempt, what it spent, until when a retry of it is recognised. One
 * per user, replaced by the next spend; it lives in the limiter state (the
 * Redis `limits` hash fields `retryId`, `retrySpent`, `retryUntil`), so it
 * goes with an unlock, a reset of the factors and the 24-hour forgetting.
 *
 * Why: a spend whose answer timed out (`STORE_UNAVAILABLE`) may still run on
 * the store later; without this, the user's retry of the same code is a
 * replay and counted as a failure, so a flaky store would push users into
 * cooldowns. With it, that retry is refused without being charged (reason
 * `retry`, not evaluated), and the user enters the next code.
 * Safety: the retry is still a refusal. The code stays spent and completes
 * nothing, so one code completes an attempt at most once however many
 * parallel submissions carry it; only the attempt that spent it is spared the
 * charge, and any other replay is refused and charged.
 */
export interface RetryMarker {
  attemptId: string;
  /** What was spent, as {@link spendOf} names it. */
  spent: string;
  /** Epoch ms (the store's clock) after which a retry is a replay again. */
  until: number;
}

/**
 * Names what a successful `check` spends: `totp:<enrolledAt>:<step>` (the
 * factor and its step), `recovery:<hash>`, `sms:<purpose>:<hash>`; null for a
 * check that spends nothing (an outcome, a null step or hash). The Redis
 * attempt script builds the same strings.
 */
export function spendOf(check: AttemptCheck): string | null {
  switch (check.type) {
    case 'totp':
      return check.step === null ? null : `totp:${check.enrolledAt ?? ''}:${check.step}`;
    case 'recovery':
      return check.hash === null ? null : `recovery:${check.hash}`;
    case 'sms':
      return check.hash === null ? null : `sms:${check.purpose}:${check.hash}`;
    case 'webauthn':
    case 'outcome':
      // A WebAuthn challenge is single-use and bound to its ceremony: a lost answer means a new one.
      return null;
  }
}

/**
 * Whether a failed check is the retry of the marker's spend by the same
 * attempt within its window. A TOTP step must have failed as a replay (the
 * step is the current factor's and already used); other checks fail because
 * their code is gone.
 */
export function isRetryOf(
  marker: RetryMarker | null,
  input: AttemptInput,
  failure: 'mismatch' | 'replay' | 'expired' | 'missing' | 'counter',
): boolean {
  const spent = spendOf(input.check);
  if (marker === null || input.retry === undefined || spent === null) return false;
  if (input.check.type === 'totp' && failure !== 'replay') return false;
  return marker.attemptId === input.retry.attemptId && marker.spent === spent && input.now < marker.until;
}

/** The marker after a successful check: this attempt's spend, or none when it spent nothing or named no attempt. */
export function markerAfterSuccess(marker: RetryMarker | null, input: AttemptInput): RetryMarker | null {
  const spent = spendOf(input.check);
  if (spent === null) return marker;
  if (input.retry === undefined) return null;
  return { attemptId: input.retry.attemptId, spent, until: input.now + input.retry.windowMs };
}
