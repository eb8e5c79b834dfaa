import type { ResolvedMfaOptions } from '../api.js';
import type { KeyedHasher, KeyRing } from '../crypto/index.js';
import type { MfaBackend } from '../ports/backend.js';
import type { EventRecorder } from './event-recorder.js';

/**
 * Shared, immutable dependencies of one instance, handed to each feature
 * module (one file per flow) so none of them reaches for a global.
 */
export interface MfaContext {
  options: ResolvedMfaOptions;
  backend: MfaBackend;
  /** AES-256-GCM key ring; associated data binds each ciphertext to its user and purpose. */
  sealer: KeyRing;
  /** HMAC for recovery/SMS code hashes and unlock tokens. */
  hasher: KeyedHasher;
  events: EventRecorder;
  now(): number;
}

/** Associated data binding a sealed TOTP secret to its user (ciphertexts can't be swapped between users). */
export function totpAssociatedData(userId: string): string {
  return `totp:${userId}`;
}

/** Associated data binding a sealed phone number to its user. */
export function phoneAssociatedData(userId: string): string {
  return `phone:${userId}`;
}
