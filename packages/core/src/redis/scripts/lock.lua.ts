import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Admin lock: forgets stale limiter state, then sets the lock (event not
 * pending: the caller records its own audit event) and rewrites the TTL (none
 * for a permanent lock), all in one step.
 * KEYS: 1 limits. ARGV: 1 lockId, 2 until ('' = permanent), 3 reason, 4 now.
 */
export const lockScript = defineLuaScript(
  'lock',
  LIMITS_STATE_LUA +
    `
local now = tonumber(ARGV[4])
local s = loadLimits(KEYS[1], now)
s.lockId, s.lockUntil, s.lockReason, s.lockPending = ARGV[1], ARGV[2], ARGV[3], '0'
s.touchedAt = num(now)
saveLimits(KEYS[1], s, now)
return 1
`,
);
