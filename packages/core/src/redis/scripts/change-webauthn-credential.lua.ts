import { defineLuaScript } from '../lua-script.js';
import { WEBAUTHN_LUA } from './webauthn.lua.js';

/**
 * `MfaStore.renameWebAuthnCredential` and `removeWebAuthnCredential`: one
 * read-modify-write of the record's credential list, atomic against a
 * sign-in raising a counter in the attempt script. Removing bumps the epoch in
 * the same step (factor removal ends every session).
 * KEYS: 1 record (HASH). ARGV: 1 'rename' | 'remove', 2 credential id, 3 new name (rename).
 * Reply: rename: 1 changed; remove: the new epoch; either: -1 no such credential.
 */
export const changeWebAuthnCredentialScript = defineLuaScript(
  'change-webauthn-credential',
  WEBAUTHN_LUA +
    `
local list = loadCredentials(KEYS[1])
for i, c in ipairs(list) do
  if c.id == ARGV[2] then
    local reply = 1
    if ARGV[1] == 'rename' then
      c.n = ARGV[3]
    else
      table.remove(list, i)
      reply = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
    end
    saveCredentials(KEYS[1], list)
    return reply
  end
end
return -1
`,
);
