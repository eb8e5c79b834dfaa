import { MfaError, type SessionRevoker } from '@mfa-kit/core';
import type { Store } from 'express-session';
import type { SessionIndex } from './session-index.js';

/** Options of {@link createSessionRevoker}. */
export interface SessionRevokerOptions {
  /** The express-session store the app uses (the same one given to {@link indexSessions}). */
  sessionStore: Store;
  index: SessionIndex;
}

/**
 * Core's {@link SessionRevoker} for express-session: destroys every session
 * filed under the user in the index, so an admin MFA reset or a self-service
 * disable ends all live sessions of that user (seed 001: "they will be
 * redirected to log in again"). Pass it to `createMfa({ sessionRevoker })`.
 */
export function createSessionRevoker(options: SessionRevokerOptions): SessionRevoker {
  const { sessionStore, index } = options;
  const destroy = (sid: string) =>
    new Promise<void>((resolve, reject) => {
      sessionStore.destroy(sid, (error?: unknown) => (error ? reject(error) : resolve()));
    });
  return {
    async revokeAll(userId) {
      const sids = await index.takeAll(userId);
      const results = await Promise.allSettled(sids.map(destroy));
      const failed = results.filter((result) => result.status === 'rejected');
      if (failed.length > 0) {
        // Put back what could not be destroyed so a retry can finish the job.
        await Promise.all(
          sids.map((sid, i) => (results[i]?.status === 'rejected' ? index.add(userId, sid) : undefined)),
        );
        throw new MfaError('STORE_UNAVAILABLE', {
          message: `Could not end ${failed.length} session(s) of the user.`,
          cause: (failed[0] as PromiseRejectedResult).reason,
        });
      }
    },
  };
}
