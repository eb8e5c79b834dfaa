import { defineLuaScript } from '../lua-script.js';
import { LIMITS_STATE_LUA } from './limits-state.lua.js';
import { WEBAUTHN_LUA } from './webauthn.lua.js';

/**
 * `MfaStore.addWebAuthnCredential`: consumes the registration challenge and
 * adds the credential in one step, so one challenge registers at most one
 * credential whatever the concurrency, and the per-user maximum holds; a
 * refused attestation (credential null) only consumes the challenge.
 * KEYS: 1 record (HASH), 2 challenges (HASH).
 * ARGV: 1 JSON { challenge, binding, max, credential (stored encoding, or null), now? }.
 * Reply: 'added' | 'refused' | 'missing' | 'duplicate' | 'full'.
 */
export const addWebAuthnCredentialScript = defineLuaScript(
  'add-webauthn-credential',
  LIMITS_STATE_LUA +
    WEBAUTHN_LUA +
    `
local a = cjson.decode(ARGV[1])
local now = clockNow(a)
if not takeWebAuthnChallenge(KEYS[2], a.challenge, 'register', a.binding, now) then return 'missing' end
-- spent above whatever follows: an attestation the verifier refused leaves no challenge to retry with
if a.credential == cjson.null or a.credential == nil then return 'refused' end
local list = loadCredentials(KEYS[1])
for _, c in ipairs(list) do
  if c.id == a.credential.id then return 'duplicate' end
end
if #list >= a.max then return 'full' end
table.insert(list, a.credential)
saveCredentials(KEYS[1], list)
redis.call('HSETNX', KEYS[1], 'epoch', 0)
return 'added'
`,
);
