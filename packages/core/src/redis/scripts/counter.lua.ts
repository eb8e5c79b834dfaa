import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';

/**
 * Fixed-window counter (`CounterStore.consume`/`increment`/`peek`), same
 * rules as the memory store: a window opens at the first
 * `consume`/`increment` and resets `windowMs` later by Redis `TIME` (one
 * clock for every app server); check and increment happen in one script, so N
 * parallel consumes with limit L allow exactly min(N, L).
 * KEYS: 1 counter (HASH: `r` reset at, `n` hits).
 * ARGV: 1 JSON { mode: 'consume' | 'increment' | 'peek', limit, windowMs, now? }.
 * Reply: {allowed 1/0, count, retryAfterMs}.
 */
export const counterScript = defineLuaScript(
  'counter',
  LIMITS_STATE_LUA +
    `
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
local h = redis.call('HMGET', KEYS[1], 'r', 'n')
local resetAt, count = tonumber(h[1] or ''), tonumber(h[2] or '') or 0
local live = resetAt ~= nil and now < resetAt
if not live then
  count = 0
  resetAt = nil
end
if a.mode == 'peek' then
  local left = 0
  if live then left = resetAt - now end
  return {count < a.limit and 1 or 0, count, left}
end
if not live then resetAt = now + a.windowMs end
local allowed = 1
if a.mode == 'consume' and count >= a.limit then
  allowed = 0
else
  count = count + 1
  if count > a.limit then allowed = 0 end
end
redis.call('HSET', KEYS[1], 'r', num(resetAt), 'n', count)
redis.call('PEXPIRE', KEYS[1], num(resetAt - now))
return {allowed, count, resetAt - now}
`,
);
