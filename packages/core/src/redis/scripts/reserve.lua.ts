import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Sliding-window budget (`CounterStore.reserve`): a sorted set of
 * reservations scored by their time. Drops reservations older than the
 * window, then takes a slot only if fewer than `limit` remain, all in one
 * script, so N parallel reservations against a budget of L succeed exactly
 * min(N, L) times. A refusal says when the oldest reservation leaves the
 * window: the refusal ends by itself, slot by slot. `release` (ZREM of the
 * reservation) gives a slot back.
 * KEYS: 1 budget (ZSET member = reservation id, score = epoch ms).
 * ARGV: 1 JSON { limit, windowMs, id, now?, look? }; with `look` it takes
 * nothing (`CounterStore.available`): the reply says whether a slot would be taken.
 * Reply: {allowed 1/0, count after, retryAfterMs}.
 */
export const reserveScript = defineLuaScript(
  'reserve',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', num(now - a.windowMs))
local count = redis.call('ZCARD', KEYS[1])
if count >= a.limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, count, math.max(1, tonumber(oldest[2]) + a.windowMs - now)}
end
if a.look then return {1, count, 0} end
redis.call('ZADD', KEYS[1], num(now), a.id)
redis.call('PEXPIRE', KEYS[1], num(a.windowMs))
return {1, count + 1, 0}
`,
);
