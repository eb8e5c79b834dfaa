import type { LimitFamily, LimiterStatus } from '../types.js';
import type { MfaContext } from './context.js';

/** A refusal because of an existing lock or cooldown. */
export type GateRefusal =
  | { ok: false; code: 'ACCOUNT_LOCKED'; retryAfterMs: number | null }
  | { ok: false; code: 'COOLDOWN'; retryAfterMs: number };

/** The refusal an existing lock or cooldown of `family` implies at `now`, or null. */
export function gateFromStatus(status: LimiterStatus, family: LimitFamily, now: number): GateRefusal | null {
  if (status.locked) {
    return {
      ok: false,
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: status.lockedUntil === null ? null : Math.max(0, status.lockedUntil - now),
    };
  }
  const until = status.families[family]?.cooldownUntil ?? null;
  return until !== null && until > now ? { ok: false, code: 'COOLDOWN', retryAfterMs: until - now } : null;
}

/**
 * Read-only pre-check for work that must not even start while the user is
 * locked or cooling down (sending an SMS, asking a provider to check a code).
 * It decides nothing on its own: the atomic `store.attempt` still does.
 */
export async function checkGate(
  mfa: MfaContext,
  userId: string,
  family: LimitFamily,
  now: number,
): Promise<GateRefusal | null> {
  return gateFromStatus(await mfa.backend.store.getLimiterStatus(userId, now), family, now);
}
