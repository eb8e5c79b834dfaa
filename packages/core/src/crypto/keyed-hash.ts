import { createHmac } from 'node:crypto';
import { MfaError } from '../errors.js';

/** Minimum key length: HMAC-SHA256 keys shorter than the output weaken it (RFC 2104 §3). */
export const MIN_HASH_KEY_BYTES = 32;

/**
 * Keyed hashing of low-entropy secrets (recovery codes, SMS codes) so a
 * database leak alone does not let anyone test guesses offline.
 */
export interface KeyedHasher {
  /**
   * base64url(HMAC-SHA256(key, purpose ‖ 0x00 ‖ value)). The purpose (e.g.
   * `recovery:<userId>`) binds the hash to its use and owner: a code hash
   * copied to another user never matches there. The NUL separator keeps
   * `("a:b", "c")` and `("a", "b:c")` apart as long as purposes contain no NUL.
   */
  hash(purpose: string, value: string): string;
}

/**
 * Creates a {@link KeyedHasher}. A string key is taken as its UTF-8 bytes (so
 * a passphrase or a base64 string from a secret manager both work without
 * guessing the encoding); either way it must be at least 32 bytes.
 *
 * An HMAC rather than a slow hash is enough because every value hashed here
 * has ≥ 80 bits of entropy (recovery codes) or a short TTL and attempt
 * limiting (SMS codes); the key, kept outside the database, is what stops
 * offline guessing.
 *
 * @throws MfaError `CONFIGURATION` when the key is shorter than 32 bytes.
 */
export function createKeyedHasher(key: Uint8Array | string): KeyedHasher {
  const bytes =
    typeof key === 'string' ? Buffer.from(key, 'utf8') : key instanceof Uint8Array ? Buffer.from(key) : null;
  if (bytes === null || bytes.length < MIN_HASH_KEY_BYTES) {
    throw new MfaError('CONFIGURATION', {
      message: `hashKey must be at least ${MIN_HASH_KEY_BYTES} bytes (generate one with: openssl rand -base64 32).`,
      cause: new RangeError(`hash key length ${bytes?.length ?? 'not bytes or string'}`),
    });
  }
  return Object.freeze({
    hash(purpose: string, value: string): string {
      return createHmac('sha256', bytes).update(`${purpose}\0${value}`, 'utf8').digest('base64url');
    },
  });
}
