import { defineLuaScript } from '../lua-script.js';

/**
 * Stores a trusted device and prunes the user's others in one atomic step:
 * drops those expired at `now` or trusted under another epoch, then, above
 * `maxPerUser`, the least recently used (the same rule as the memory store).
 * The key's TTL follows the latest `expiresAt` kept (garbage collection only:
 * core judges expiry by its own clock).
 * KEYS: 1 devices (HASH id → JSON). ARGV: 1 JSON { device, json, now, maxPerUser }. Reply: 1.
 */
export const addTrustedDeviceScript = defineLuaScript(
  'add-trusted-device',
  `
local a = cjson.decode(ARGV[1])
local added = a.device
local flat = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #flat, 2 do
  local ok, d = pcall(cjson.decode, flat[i + 1])
  if ok and type(d) == 'table' and flat[i] ~= added.id and tonumber(d.expiresAt) ~= nil
    and tonumber(d.expiresAt) > a.now and d.epoch == added.epoch then
    live[#live + 1] = { id = flat[i], json = flat[i + 1], lastUsedAt = tonumber(d.lastUsedAt) or 0,
      createdAt = tonumber(d.createdAt) or 0, expiresAt = tonumber(d.expiresAt) }
  end
end
table.sort(live, function(x, y)
  if x.lastUsedAt ~= y.lastUsedAt then return x.lastUsedAt > y.lastUsedAt end
  return x.createdAt > y.createdAt
end)
redis.call('DEL', KEYS[1])
local latest = added.expiresAt
redis.call('HSET', KEYS[1], added.id, a.json)
for i = 1, math.min(#live, a.maxPerUser - 1) do
  redis.call('HSET', KEYS[1], live[i].id, live[i].json)
  if live[i].expiresAt > latest then latest = live[i].expiresAt end
end
redis.call('PEXPIRE', KEYS[1], math.max(1, math.floor(latest - a.now)) + 60000)
return 1
`,
);
