import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Lifts the lock and clears the consecutive count and every family's
 * failures, cooldown and cooldown growth, keeping only the count of locks
 * started (temporary locks keep growing) and `touchedAt`. Without a permanent
 * lock the key gets a 24 h garbage-collection TTL again.
 *
 * With `lockId` it is a compare-and-unlock in the same atomic step: only the
 * lock in force with that id is lifted (an unlock link is bound to the lock it
 * was issued for, so an admin lock placed meanwhile stays), else nothing
 * changes and the reply is 0.
 * KEYS: 1 limits (HASH). ARGV: 1 JSON { lockId?, now? }. Reply: 1 unlocked, 0 not.
 */
export const unlockScript = defineLuaScript(
  'unlock',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
if a.lockId ~= nil then
  local now = clockNow(a)
  local s = loadLimits(KEYS[1], now)
  if not lockInForce(s, now) or s.lockId ~= a.lockId then return 0 end
end
local keep = redis.call('HMGET', KEYS[1], 'locks', 'touchedAt')
redis.call('DEL', KEYS[1])
if keep[1] and keep[2] then
  redis.call('HSET', KEYS[1], 'locks', keep[1], 'touchedAt', keep[2])
  redis.call('PEXPIRE', KEYS[1], DAY)
end
return 1
`,
);
