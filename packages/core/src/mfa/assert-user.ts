import { MAX_USER_ID_LENGTH } from '../defaults.js';
import { MfaError } from '../errors.js';
import type { MfaUser } from '../types.js';
import { parseOrgId } from './org-id.js';

/**
 * Checks the app-supplied user before it becomes part of store keys, hash
 * purposes, associated data and policy decisions. Misuse by the app, so it
 * throws VALIDATION. `orgId` must be an organisation id or absent: a
 * malformed one would otherwise silently fall outside `requiredOrgs` and an
 * org-by-org rollout (see `parseOrgId`).
 */
export function assertUser(user: MfaUser): void {
  const id: unknown = user?.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_USER_ID_LENGTH) {
    throw new MfaError('VALIDATION', {
      message: `user.id must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`,
      fields: { 'user.id': 'invalid' },
    });
  }
  parseOrgId((user as { orgId?: unknown }).orgId, 'user.orgId', 'VALIDATION');
}
