import type { LimiterState } from '../limiter/limiter-state.js';
import type { LimitFamily } from '../types.js';

const FAMILIES: readonly LimitFamily[] = ['totp', 'sms', 'recovery', 'webauthn', 'password', 'sms-setup'];

function numberOr<T>(value: string | undefined, fallback: T): number | T {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}

/**
 * Reads the fields of a user's `limits` hash (layout in `keys.ts`) into the
 * limiter's state shape, so status views are computed by the very same code
 * (`limiter/limiter-status.ts`) for both backends.
 */
export function limiterStateFromHash(fields: Record<string, string>): LimiterState {
  const families: LimiterState['families'] = new Map();
  for (const family of FAMILIES) {
    const failures = fields[`f:${family}`];
    const cooldown = fields[`cd:${family}`];
    const streak = fields[`cn:${family}`];
    if (failures === undefined && cooldown === undefined && streak === undefined) continue;
    families.set(family, {
      failures: numberOr(failures, 0),
      cooldownUntil: numberOr(cooldown, null),
      cooldowns: numberOr(streak, 0),
    });
  }
  const lockId = fields['lockId'];
  return {
    families,
    consecutive: numberOr(fields['consec'], 0),
    lock:
      lockId === undefined
        ? null
        : {
            lockId,
            reason: fields['lockReason'] ?? '',
            until: numberOr(fields['lockUntil'], null),
            eventPending: fields['lockPending'] === '1',
          },
    locksStarted: numberOr(fields['locks'], 0),
    touchedAt: numberOr(fields['touchedAt'], null),
    retry:
      fields['retryId'] === undefined
        ? null
        : {
            attemptId: fields['retryId'],
            spent: fields['retrySpent'] ?? '',
            until: numberOr(fields['retryUntil'], 0),
          },
  };
}
