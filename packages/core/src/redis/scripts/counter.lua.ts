import { defineLuaScript } from '../lua-script.js';

/**
 * Fixed-window counter (`CounterStore`): a window opens at the first counted
 * hit and lasts `windowMs` by the caller's clock; check and increment happen
 * in one script, so N parallel consumes with limit L allow exactly min(N, L).
 * The key TTL (what is left of the window, by the same clock difference) only
 * collects garbage.
 * KEYS: 1 counter HASH (`s` window start, `n` hits). ARGV: 1 mode
 * (`consume`/`increment`/`peek`), 2 limit, 3 windowMs, 4 now.
 * Reply: {allowed 1/0, count, retryAfterMs}.
 */
export const counterScript = defineLuaScript(
  'counter',
  `
local mode = ARGV[1]
local limit, windowMs, now = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 's', 'n')
local start, count = tonumber(h[1] or ''), tonumber(h[2] or '') or 0
local open = start ~= nil and now < start + windowMs
if not open then count = 0 end
local left = 0
if open then left = start + windowMs - now end
if mode == 'peek' then
  return {count < limit and 1 or 0, count, left}
end
if mode == 'consume' and count >= limit then
  return {0, count, left}
end
if not open then
  start = now
  left = windowMs
end
count = count + 1
redis.call('HSET', KEYS[1], 's', string.format('%.0f', start), 'n', count)
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', left))
return {count <= limit and 1 or 0, count, left}
`,
);
