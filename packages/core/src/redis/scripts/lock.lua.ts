import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Admin lock: forgets stale limiter state, then sets the lock (event not
 * pending: the caller records its own audit event), rewrites the TTL (none
 * for a permanent lock) and bumps the session epoch, all in one step, so the
 * lock and the end of the user's sessions can't be observed apart. A
 * temporary lock's end is Redis `TIME` + `durationMs`, so a skewed app clock
 * can't shorten it.
 * KEYS: 1 limits (HASH), 2 record (HASH).
 * ARGV: 1 JSON { lockId, reason, durationMs? (absent = permanent), now? }.
 */
export const lockScript = defineLuaScript(
  'lock',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
local s = loadLimits(KEYS[1], now)
s.lockUntil = ''
if a.durationMs ~= nil then s.lockUntil = num(now + a.durationMs) end
s.lockId, s.lockReason, s.lockPending = a.lockId, a.reason, '0'
s.touchedAt = num(now)
saveLimits(KEYS[1], s, now)
redis.call('HINCRBY', KEYS[2], 'epoch', 1)
return 1
`,
);
