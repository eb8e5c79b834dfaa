import { defineLuaScript } from '../lua-script.js';
import { RECOVERY_CODES_LUA } from './recovery-codes.lua.js';

/**
 * Replaces the whole recovery-code set at once: a code of the old set can
 * never be accepted after the new set is visible, and no reader sees a mix.
 * The tokens go into the record's `rc` field (`recovery-codes.lua.ts`); an
 * old `recovery` SET is deleted in the same step.
 * KEYS: 1 record, 2 old recovery set. ARGV: the new hashes.
 */
export const replaceRecoveryCodesScript = defineLuaScript(
  'replace-recovery-codes',
  RECOVERY_CODES_LUA +
    `
redis.call('DEL', KEYS[2])
local tokens, seen = {}, {}
for i = 1, #ARGV do
  local token = recoveryToken(ARGV[i])
  if not seen[token] then seen[token] = true; tokens[#tokens + 1] = token end
end
if #tokens == 0 then
  redis.call('HDEL', KEYS[1], 'rc')
else
  redis.call('HSET', KEYS[1], 'rc', table.concat(tokens))
end
redis.call('HSETNX', KEYS[1], 'epoch', 0)
return 1
`,
);
