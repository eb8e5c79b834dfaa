import type { KeyRing } from './key-ring.js';

/** One stored ciphertext and the associated data it was sealed with. */
export interface SealedItem {
  /** Output of {@link KeyRing.seal}. */
  sealed: string;
  /** The associated data it was sealed with, e.g. `totp:<userId>`. */
  associatedData: string;
}

/**
 * Re-encrypts ciphertexts with the ring's current key (key rotation). Values
 * already sealed with the current key are returned unchanged, so running it
 * twice is harmless. Output order matches input order; the service layer
 * writes the results back to its records.
 *
 * @throws MfaError `KEY_UNAVAILABLE` on the first value that does not open
 * (nothing is partially returned: callers retry after fixing the ring).
 */
export function resealAll(keyRing: KeyRing, items: Iterable<SealedItem>): string[] {
  const out: string[] = [];
  for (const item of items) {
    out.push(
      keyRing.needsReseal(item.sealed) ? keyRing.reseal(item.sealed, item.associatedData) : item.sealed,
    );
  }
  return out;
}
