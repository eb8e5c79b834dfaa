import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Admin lock: forgets stale limiter state, then sets the lock (event not
 * pending: the caller records its own audit event), rewrites the TTL (none
 * for a permanent lock) and bumps the session epoch, all in one step, so the
 * lock and the end of the user's sessions can't be observed apart.
 * KEYS: 1 limits, 2 record. ARGV: 1 lockId, 2 until ('' = permanent), 3 reason, 4 now.
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
redis.call('HINCRBY', KEYS[2], 'epoch', 1)
return 1
`,
);
