import type { KeyedHasher } from '../crypto/index.js';
import type { Random } from '../ports/clock.js';

/** 128-bit public id and 256-bit secret, base64url (22 and 43 characters). */
const ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** A trust token split into the device id (looked up) and the secret (compared as a keyed hash). */
export interface TrustedDeviceToken {
  id: string;
  secret: string;
}

/** A new token `<id>.<secret>` from the injected randomness. */
export function newTrustedDeviceToken(random: Random): TrustedDeviceToken & { token: string } {
  const id = Buffer.from(random.bytes(ID_BYTES)).toString('base64url');
  const secret = Buffer.from(random.bytes(SECRET_BYTES)).toString('base64url');
  return { id, secret, token: `${id}.${secret}` };
}

/** The parts of a well-formed token, or null for anything else (a cookie is attacker input). */
export function parseTrustedDeviceToken(value: unknown): TrustedDeviceToken | null {
  if (typeof value !== 'string') return null;
  const match = TOKEN.exec(value);
  return match === null ? null : { id: match[1] as string, secret: match[2] as string };
}

/**
 * The stored form of the secret: bound to the user and the device id, so a
 * token (or a stored hash) moved to another user or device matches nothing.
 */
export function hashTrustedDeviceSecret(
  hasher: KeyedHasher,
  userId: string,
  token: TrustedDeviceToken,
): string {
  return hasher.hash(`trusted-device:${userId}:${token.id}`, token.secret);
}
