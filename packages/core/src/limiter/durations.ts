import type { FamilyLimits, LockLimits } from '../types.js';

/**
 * Length of the `n`-th temporary failure lock (n ≥ 1): `durationMs *
 * growthFactor^(n-1)`, capped at `maxDurationMs`, in whole milliseconds
 * rounded down so every backend (and the Lua in `redis/scripts/`) ends it at
 * the same instant.
 */
export function lockDuration(lock: LockLimits, locksStarted: number): number {
  const grown = lock.durationMs * lock.growthFactor ** Math.max(0, locksStarted - 1);
  return Math.floor(Math.min(grown, lock.maxDurationMs));
}

/**
 * Length of the `n`-th cooldown in a row of a family (n ≥ 1): `cooldownMs *
 * cooldownGrowthFactor^(n-1)`, capped at `maxCooldownMs`, rounded down like
 * {@link lockDuration}. Without growth options every cooldown is `cooldownMs`.
 */
export function cooldownDuration(limits: FamilyLimits, cooldownsStarted: number): number {
  const factor = limits.cooldownGrowthFactor ?? 1;
  const cap = limits.maxCooldownMs ?? limits.cooldownMs;
  const grown = limits.cooldownMs * factor ** Math.max(0, cooldownsStarted - 1);
  return Math.floor(Math.min(grown, Math.max(cap, limits.cooldownMs)));
}
