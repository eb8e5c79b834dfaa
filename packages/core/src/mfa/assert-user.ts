import { MAX_USER_ID_LENGTH } from '../defaults.js';
import { MfaError } from '../errors.js';
import type { MfaUser } from '../types.js';

/**
 * Checks the app-supplied user before it becomes part of store keys, hash
 * purposes and associated data. Misuse by the app, so it throws VALIDATION.
 */
export function assertUser(user: MfaUser): void {
  const id: unknown = user?.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_USER_ID_LENGTH) {
    throw new MfaError('VALIDATION', {
      message: `user.id must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`,
      fields: { 'user.id': 'invalid' },
    });
  }
}
