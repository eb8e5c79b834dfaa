import { defineLuaScript } from '../lua-script.js';

/**
 * Replaces the whole recovery-code set at once: a code of the old set can
 * never be accepted after the new set is visible, and no reader sees a mix.
 * KEYS: 1 record, 2 recovery set. ARGV: the new hashes.
 */
export const replaceRecoveryCodesScript = defineLuaScript(
  'replace-recovery-codes',
  `
redis.call('DEL', KEYS[2])
for i = 1, #ARGV, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('HSETNX', KEYS[1], 'epoch', 0)
return 1
`,
);
