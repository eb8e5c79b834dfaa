import type { SessionRevoker } from '@mfa-kit/core';
import type { Store } from 'express-session';

/**
 * Revokes every session of a user (admin MFA reset, self-service disable; seed
 * 001: "they will be redirected to log in again"). It keeps a per-user index
 * of session ids written at login, so ordinary requests need no extra lookup:
 * the cost is paid at revocation time only.
 */
export interface SessionIndex extends SessionRevoker {
  /** Records that `sessionId` belongs to `userId` (call at login). */
  add(userId: string, sessionId: string): void;
}

/** An in-process index over any express-session store (destroying a missing id is harmless). */
export function createSessionIndex(store: Store): SessionIndex {
  const byUser = new Map<string, Set<string>>();
  return {
    add(userId, sessionId) {
      const ids = byUser.get(userId) ?? new Set<string>();
      ids.add(sessionId);
      byUser.set(userId, ids);
    },
    async revokeAll(userId) {
      const ids = [...(byUser.get(userId) ?? [])];
      byUser.delete(userId);
      await Promise.all(
        ids.map(
          (id) =>
            new Promise<void>((resolve, reject) =>
              store.destroy(id, (err) => (err ? reject(err) : resolve())),
            ),
        ),
      );
    },
  };
}
