import { defineLuaScript } from '../lua-script.js';
import { RECOVERY_CODES_LUA } from './recovery-codes.lua.js';

/**
 * Reads a record and its recovery-code count in one consistent snapshot
 * (the count from the record's `rc` tokens, or from an old `recovery` SET).
 * KEYS: 1 record, 2 old recovery set. Reply: {0} or {1, totp, sms, epoch, grace, recoveryCount, webauthn}.
 */
export const getRecordScript = defineLuaScript(
  'get-record',
  RECOVERY_CODES_LUA +
    `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local r = redis.call('HMGET', KEYS[1], 'totp', 'sms', 'epoch', 'grace', 'wa')
return {1, r[1], r[2], r[3], r[4], countRecoveryCodes(KEYS[1], KEYS[2]), r[5]}
`,
);
