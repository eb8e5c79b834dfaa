import { defineLuaScript } from '../lua-script.js';

/**
 * Fixed-window counter (`CounterStore`), same rules as the memory store: a
 * window opens at the first `consume`/`increment` and resets `windowMs` later
 * by the caller's clock; check and increment happen in one script, so N
 * parallel consumes with limit L allow exactly min(N, L). The key's real TTL
 * (what is left of the window, as a clock difference) only collects garbage.
 * KEYS: 1 counter HASH (`r` reset at, `n` hits). ARGV: 1 mode
 * (`consume`/`increment`/`peek`), 2 limit, 3 windowMs, 4 now.
 * Reply: {allowed 1/0, count, retryAfterMs}.
 */
export const counterScript = defineLuaScript(
  'counter',
  `
local mode = ARGV[1]
local limit, windowMs, now = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 'r', 'n')
local resetAt, count = tonumber(h[1] or ''), tonumber(h[2] or '') or 0
local live = resetAt ~= nil and now < resetAt
if not live then
  count = 0
  resetAt = nil
end
if mode == 'peek' then
  local left = 0
  if live then left = resetAt - now end
  return {count < limit and 1 or 0, count, left}
end
if not live then resetAt = now + windowMs end
local allowed = 1
if mode == 'consume' and count >= limit then
  allowed = 0
else
  count = count + 1
  if count > limit then allowed = 0 end
end
redis.call('HSET', KEYS[1], 'r', string.format('%.0f', resetAt), 'n', count)
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', resetAt - now))
return {allowed, count, resetAt - now}
`,
);
