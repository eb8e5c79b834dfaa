import { defineLuaScript } from '../lua-script.js';

/**
 * Replaces the policy only if it is still the version the caller read: the
 * SHA1 of its stored JSON text (`none` when no policy was saved). One script,
 * so no write lands between the comparison and the replacement.
 * KEYS: 1 policy (STRING). ARGV: 1 expected version, 2 the new policy's JSON.
 * Reply: 1 replaced, 0 another write came first (nothing written).
 */
export const policyCompareAndSetScript = defineLuaScript(
  'policy-compare-and-set',
  `
local current = redis.call('GET', KEYS[1])
local version = 'none'
if current then version = redis.sha1hex(current) end
if version ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`,
);
