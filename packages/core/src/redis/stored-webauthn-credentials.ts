import type { WebAuthnCredential } from '../types.js';

/**
 * A credential as the Redis record's `wa` field stores it (a JSON array of
 * these): short keys (the record is read on every sign-in) and the transports
 * joined into one string, because Lua's cjson writes an empty array back as
 * `{}` when a script rewrites the list. `lu` is null until first used.
 */
export interface StoredWebAuthnCredential {
  id: string;
  pk: string;
  c: number;
  t: string;
  n: string;
  ca: number;
  lu: number | null;
  be: boolean;
  bs: boolean;
}

/** The stored encoding of a credential. */
export function encodeWebAuthnCredential(credential: WebAuthnCredential): StoredWebAuthnCredential {
  return {
    id: credential.id,
    pk: credential.publicKey,
    c: credential.counter,
    t: credential.transports.join(','),
    n: credential.name,
    ca: credential.createdAt,
    lu: credential.lastUsedAt,
    be: credential.backupEligible,
    bs: credential.backedUp,
  };
}

/** The credentials of a `wa` field (null/absent → none); malformed entries are an error for the caller. */
export function decodeWebAuthnCredentials(stored: unknown): WebAuthnCredential[] {
  if (stored === null || stored === undefined) return [];
  if (!Array.isArray(stored)) throw new TypeError('webauthn credentials must be an array');
  return stored.map((item: StoredWebAuthnCredential) => {
    if (typeof item?.id !== 'string' || typeof item.pk !== 'string') throw new TypeError('bad credential');
    return {
      id: item.id,
      publicKey: item.pk,
      counter: Number(item.c) || 0,
      transports: typeof item.t === 'string' && item.t !== '' ? item.t.split(',') : [],
      name: String(item.n ?? ''),
      createdAt: Number(item.ca) || 0,
      lastUsedAt: typeof item.lu === 'number' ? item.lu : null,
      backupEligible: item.be === true,
      backedUp: item.bs === true,
    };
  });
}
