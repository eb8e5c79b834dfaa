import { constantTimeEqual } from '../crypto/index.js';
import type { KeyedHasher as Hasher } from '../crypto/index.js';

/** What an unlock token says. Short keys keep the link short. */
export interface UnlockTokenPayload {
  /** User id. */
  u: string;
  /** The user's organisation (null: none), so the SELF_UNLOCKED event carries it like every event of the user. */
  o: string | null;
  /** Id of the lock it was issued for; a token lifts that lock only. */
  l: string;
  /** Expiry, epoch ms. */
  e: number;
  /** Random nonce, the single-use id. */
  n: string;
}

const PURPOSE = 'unlock-token';
const MAX_TOKEN_LENGTH = 2048;

/** `base64url(JSON payload) + '.' + HMAC(payload)` with the instance's hash key (purpose `unlock-token`). */
export function signUnlockToken(hasher: Hasher, payload: UnlockTokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${hasher.hash(PURPOSE, body)}`;
}

/**
 * The payload of a correctly signed token, or null. The MAC is checked in
 * constant time before the payload is parsed, so a forged token never
 * reaches JSON parsing. Expiry and single use are the caller's checks.
 */
export function openUnlockToken(hasher: Hasher, token: unknown): UnlockTokenPayload | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [body, mac] = parts as [string, string];
  if (body === '' || !constantTimeEqual(hasher.hash(PURPOSE, body), mac)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { u, o, l, e, n } = value as Record<string, unknown>;
  if (typeof u !== 'string' || typeof l !== 'string' || typeof e !== 'number' || typeof n !== 'string')
    return null;
  return { u, o: typeof o === 'string' ? o : null, l, e, n };
}
