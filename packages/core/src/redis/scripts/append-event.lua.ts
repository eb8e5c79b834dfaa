import { defineLuaScript } from '../lua-script.js';

/**
 * Appends an event to the capped stream with an id whose milliseconds are the
 * event's own time (`<time>-*`), so `since` maps to a stream-id bound and ids
 * sort by time. Stream ids must grow: an event older than the newest entry
 * (clock skew between processes, test clocks) gets the newest entry's
 * milliseconds instead, so an id's time is never before its event's time.
 * The usual append (time not before the newest entry) is the XADD alone; only
 * when Redis refuses that id is the newest entry read (XREVRANGE).
 * KEYS: 1 stream. ARGV: 1 trim threshold, 2 time (epoch ms), 3 JSON, 4 trim
 * strategy: `MAXLEN` (keep about ARGV[1] entries) or `MINID` (drop entries
 * with ids below ARGV[1], exactly: retention by age).
 * Reply: the stream id.
 */
export const appendEventScript = defineLuaScript(
  'append-event',
  `
local ms = math.floor(tonumber(ARGV[2]))
-- MAXLEN trims approximately (cheap, whole nodes); MINID exactly, so the documented retention holds.
local exactness = '~'
if ARGV[4] == 'MINID' then exactness = '=' end
local added = redis.pcall('XADD', KEYS[1], ARGV[4], exactness, ARGV[1], string.format('%.0f', ms) .. '-*', 'e', ARGV[3])
if type(added) == 'string' then return added end
-- refused: an entry with a later time is there already; take its milliseconds
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if newest[1] then
  local newestMs = tonumber(string.match(newest[1][1], '^(%d+)'))
  if newestMs > ms then ms = newestMs end
end
return redis.call('XADD', KEYS[1], ARGV[4], exactness, ARGV[1], string.format('%.0f', ms) .. '-*', 'e', ARGV[3])
`,
);
