import { MfaError, type SessionRevoker } from '@mfa-kit/core';
import type { Cluster, Redis } from 'ioredis';

/**
 * A {@link SessionRevoker} for the CLI, which has no express-session store:
 * takes the user's session ids from the session index that
 * `@mfa-kit/express` keeps (a SET at `<prefix>{u:<id>}:sessions`, read and
 * emptied in one MULTI) and deletes the connect-redis keys
 * `<sessionPrefix><sid>` one by one (one key per command, so it also works on
 * Redis Cluster where they live in different slots). Sessions missed here are
 * still refused at their next request, because the reset bumped the user's
 * epoch.
 */
export function createKeyDeletingRevoker(options: {
  client: Redis | Cluster;
  prefix: string;
  sessionPrefix: string;
}): SessionRevoker {
  const { client, prefix, sessionPrefix } = options;
  return {
    async revokeAll(userId) {
      try {
        const key = `${prefix}{u:${userId}}:sessions`;
        const replies = await client.multi().smembers(key).del(key).exec();
        const [error, members] = replies?.[0] ?? [null, []];
        if (error) throw error;
        const sids = Array.isArray(members) ? members.map(String) : [];
        await Promise.all(sids.map((sid) => client.del(`${sessionPrefix}${sid}`)));
      } catch (cause) {
        throw new MfaError('STORE_UNAVAILABLE', { message: 'Could not delete the user’s sessions.', cause });
      }
    },
  };
}
