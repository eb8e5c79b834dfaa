import { MfaError, type SessionRevoker } from '@mfa-kit/core';
import type { Cluster, Redis } from 'ioredis';
import type { SessionIndex } from '../session/session-index.js';

/**
 * A {@link SessionRevoker} for the CLI, which has no express-session store:
 * takes the user's session ids from the session index and deletes the
 * connect-redis keys `<sessionPrefix><sid>` one by one (one key per command,
 * so it also works on Redis Cluster where they live in different slots).
 * Sessions missed here are still refused at their next request, because the
 * reset bumped the user's epoch.
 */
export function createKeyDeletingRevoker(options: {
  client: Redis | Cluster;
  index: SessionIndex;
  sessionPrefix: string;
}): SessionRevoker {
  return {
    async revokeAll(userId) {
      const sids = await options.index.takeAll(userId);
      try {
        await Promise.all(sids.map((sid) => options.client.del(`${options.sessionPrefix}${sid}`)));
      } catch (cause) {
        throw new MfaError('STORE_UNAVAILABLE', { message: 'Could not delete the user’s sessions.', cause });
      }
    },
  };
}
