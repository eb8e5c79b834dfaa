import { defineLuaScript } from '../lua-script.js';

/**
 * Reads a record and its recovery-code count in one consistent snapshot.
 * KEYS: 1 record, 2 recovery set. Reply: {0} or {1, totp, sms, epoch, grace, recoveryCount}.
 */
export const getRecordScript = defineLuaScript(
  'get-record',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local r = redis.call('HMGET', KEYS[1], 'totp', 'sms', 'epoch', 'grace')
return {1, r[1], r[2], r[3], r[4], redis.call('SCARD', KEYS[2])}
`,
);
