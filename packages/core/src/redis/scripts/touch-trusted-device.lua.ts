import { defineLuaScript } from '../lua-script.js';

/**
 * Sets a trusted device's `lastUsedAt` only if it still exists: a check and a
 * write in one step, so a sign-in racing a revocation can't write the
 * revoked device back.
 * KEYS: 1 devices (HASH id → JSON). ARGV: 1 JSON { id, lastUsedAt }. Reply: 1 updated, 0 gone.
 */
export const touchTrustedDeviceScript = defineLuaScript(
  'touch-trusted-device',
  `
local a = cjson.decode(ARGV[1])
local json = redis.call('HGET', KEYS[1], a.id)
if not json then return 0 end
local d = cjson.decode(json)
d.lastUsedAt = a.lastUsedAt
redis.call('HSET', KEYS[1], a.id, cjson.encode(d))
return 1
`,
);
