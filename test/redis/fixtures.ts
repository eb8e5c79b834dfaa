import type { FamilyLimits, LockLimits, TotpFactor } from '@mfa-kit/core';

/**
 * Verification-family limits shared by the Redis tests and the Redis
 * benchmark (5 failures, then a 5-minute cooldown). The values equal today's
 * defaults but are spelled out, so a change of defaults doesn't silently
 * change what these tests assert or what the benchmark measures; one copy
 * keeps the tests and the benchmark exercising the same limiter work.
 */
export const LIMITS = { maxFailures: 5, cooldownMs: 300_000, countsTowardLock: true } satisfies FamilyLimits;

/** Account-lock limits that go with {@link LIMITS}: a permanent lock after 10 consecutive failures. */
export const LOCK = {
  maxConsecutiveFailures: 10,
  mode: 'permanent' as const,
  durationMs: 900_000,
  growthFactor: 2,
  maxDurationMs: 86_400_000,
} satisfies LockLimits;

/**
 * A stored TOTP factor for store-level tests: a TOTP check is judged against
 * the used steps of the user's TOTP factor, so a user needs one first.
 */
export const TOTP_FACTOR: TotpFactor = {
  sealedSecret: 'k1:sealed',
  algorithm: 'SHA1',
  digits: 6,
  periodInSeconds: 30,
  enrolledAt: 1_700_000_000_000,
};
