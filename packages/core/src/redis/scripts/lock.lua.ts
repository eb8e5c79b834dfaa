import { defineLuaScript } from '../lua-script.js';

/**
 * Admin lock: sets the lock fields (event not pending: the caller records its
 * own audit event) and fixes the limits key's TTL: none for a permanent lock,
 * otherwise at least until the lock ends and at least 24 h.
 * KEYS: 1 limits. ARGV: 1 lockId, 2 until ('' = permanent), 3 reason, 4 now.
 */
export const lockScript = defineLuaScript(
  'lock',
  `
redis.call('HSET', KEYS[1], 'lockId', ARGV[1], 'lockUntil', ARGV[2], 'lockReason', ARGV[3], 'lockPending', 0)
if ARGV[2] == '' then
  redis.call('PERSIST', KEYS[1])
else
  local want = tonumber(ARGV[2]) - tonumber(ARGV[4])
  if want < 86400000 then want = 86400000 end
  if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], string.format('%.0f', want)) end
end
return 1
`,
);
