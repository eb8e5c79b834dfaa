// Encryption at rest, keyed hashes and constant-time comparison.
export { constantTimeEqual } from './constant-time.js';
export { createKeyRing } from './key-ring.js';
export { MIN_HASH_KEY_BYTES, createKeyedHasher } from './keyed-hash.js';
export { resealAll } from './reencrypt.js';

export type { KeyRing, KeyRingOptions } from './key-ring.js';
export type { KeyedHasher } from './keyed-hash.js';
export type { SealedItem } from './reencrypt.js';
