import type { LimiterStatus } from '../types.js';
import { forgetIfStale, type LimiterState, lockActive } from './limiter-state.js';

/** The status view of `state` at `now` (after forgetting stale state). */
export function limiterStatus(state: LimiterState, now: number): LimiterStatus {
  forgetIfStale(state, now);
  const locked = lockActive(state.lock, now);
  const families: LimiterStatus['families'] = {};
  for (const [family, value] of state.families) {
    families[family] = {
      failures: value.failures,
      cooldownUntil: value.cooldownUntil !== null && now < value.cooldownUntil ? value.cooldownUntil : null,
    };
  }
  return {
    locked,
    lockedUntil: locked ? (state.lock?.until ?? null) : null,
    lockReason: locked ? (state.lock?.reason ?? null) : null,
    lockId: locked ? (state.lock?.lockId ?? null) : null,
    consecutiveFailures: state.consecutive,
    families,
  };
}
