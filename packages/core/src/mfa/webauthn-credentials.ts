import type { Mfa } from '../api.js';
import type { Actor } from '../events.js';
import type { MfaUser, RequestContext } from '../types.js';
import { assertActor } from './admin.js';
import { afterSessionsEnded } from './after-sessions-ended.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { assertCredentialId, credentialInfo, parseCredentialName } from './webauthn-input.js';

/** `mfa.webauthn.list`, `rename` and `remove`: managing registered credentials. */
export function createWebAuthnCredentials(
  mfa: MfaContext,
): Pick<Mfa['webauthn'], 'list' | 'rename' | 'remove'> {
  const { store } = mfa.backend;
  return {
    async list(user: MfaUser) {
      assertUser(user);
      const record = await store.getRecord(user.id);
      return (record?.webauthn ?? []).map(credentialInfo);
    },
    async rename(user: MfaUser, credentialId: string, name: unknown) {
      assertUser(user);
      assertCredentialId(credentialId);
      return store.renameWebAuthnCredential(user.id, credentialId, parseCredentialName(name, ''));
    },
    async remove(actor: Actor, user: MfaUser, credentialId: string, ctx?: RequestContext) {
      assertActor(actor);
      assertUser(user);
      assertCredentialId(credentialId);
      const before = await store.getRecord(user.id);
      const name = before?.webauthn.find((c) => c.id === credentialId)?.name ?? '';
      // The removal and the epoch bump are one atomic step: every session of the user ends.
      const epoch = await store.removeWebAuthnCredential(user.id, credentialId);
      if (epoch === null) return null;
      await afterSessionsEnded(
        mfa,
        user.id,
        mfa.events.emit('WEBAUTHN_CREDENTIAL_REMOVED', { credentialId, name }, { user, actor, ctx }),
      );
      return { epoch };
    },
  };
}
