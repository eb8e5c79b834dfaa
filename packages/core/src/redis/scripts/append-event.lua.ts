import { defineLuaScript } from '../lua-script.js';

/**
 * Appends an event to the capped stream with an id whose milliseconds are the
 * event's own time (`<time>-*`), so `since` maps to a stream-id bound and ids
 * sort by time. Stream ids must grow: an event older than the newest entry
 * (clock skew between processes, test clocks) gets the newest entry's
 * milliseconds instead, so an id's time is never before its event's time.
 * KEYS: 1 stream. ARGV: 1 approximate max length, 2 time (epoch ms), 3 JSON.
 * Reply: the stream id.
 */
export const appendEventScript = defineLuaScript(
  'append-event',
  `
local ms = math.floor(tonumber(ARGV[2]))
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if newest[1] then
  local newestMs = tonumber(string.match(newest[1][1], '^(%d+)'))
  if newestMs > ms then ms = newestMs end
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], string.format('%.0f', ms) .. '-*', 'e', ARGV[3])
`,
);
