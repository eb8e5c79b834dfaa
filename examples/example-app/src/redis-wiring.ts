import { createRedisBackend } from '@mfa-kit/core/redis';
import { createRedisSessionIndex } from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import { Cluster, Redis } from 'ioredis';
import type { ExampleAppOptions } from './app.js';

/** One Redis node or a Redis Cluster: everything below takes either. */
export type RedisClient = Redis | Cluster;

/**
 * ioredis options for a client that serves requests (sessions and mfa-kit):
 * every command is bounded and nothing waits for a reconnect, so a request
 * while Redis is down fails in milliseconds (503 STORE_UNAVAILABLE) instead
 * of sitting in ioredis's offline queue for ~11 s and ending in a 500.
 * - `enableOfflineQueue: false`: while disconnected, commands reject at once.
 * - `commandTimeout`: a command to a Redis that accepted the connection but
 *   doesn't answer (hung, overloaded) rejects after 1 s.
 * - `maxRetriesPerRequest: 1`: a command in flight when the connection drops
 *   is not replayed again and again.
 * - `enableAutoPipelining: true`: the commands one request issues in the same
 *   event-loop turn (the session read beside its epoch, the session write
 *   beside the index entry) go out in one socket write, as the express
 *   README's client has it (`test/bench/README.md`: less CPU per request).
 * ioredis keeps reconnecting in the background, so the app recovers by
 * itself when Redis is back.
 */
export const REQUEST_PATH_REDIS_OPTIONS = {
  enableOfflineQueue: false,
  commandTimeout: 1_000,
  maxRetriesPerRequest: 1,
  enableAutoPipelining: true,
} as const;

/**
 * Logs a client's connection errors once per outage instead of letting
 * ioredis print "[ioredis] Unhandled error event" for every reconnect attempt.
 */
export function logRedisErrors(client: RedisClient, log: (line: string) => void): RedisClient {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log(`[redis] ${error.message} (requests answer 503 STORE_UNAVAILABLE until it is back)`);
  });
  client.on('ready', () => {
    if (down) log('[redis] connection restored');
    down = false;
  });
  return client;
}

/**
 * The Redis the environment names: `REDIS_CLUSTER_URLS` (comma-separated
 * `redis://host:port` of cluster nodes) wins over `REDIS_URL`; null for none.
 */
export function redisFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): { client: RedisClient; label: string } | null {
  const clusterUrls = (env.REDIS_CLUSTER_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  if (clusterUrls.length > 0) {
    const nodes = clusterUrls.map((url) => {
      const parsed = new URL(url);
      return { host: parsed.hostname, port: Number(parsed.port || 6379) };
    });
    const client = new Cluster(nodes, {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      redisOptions: REQUEST_PATH_REDIS_OPTIONS,
    });
    return { client, label: `Redis Cluster (${clusterUrls.join(', ')})` };
  }
  if (env.REDIS_URL) {
    return {
      client: new Redis(env.REDIS_URL, REQUEST_PATH_REDIS_OPTIONS),
      label: `Redis (${env.REDIS_URL})`,
    };
  }
  return null;
}

/**
 * The example's stores on one Redis client, wired as `@mfa-kit/express`'s
 * README shows (also for a Cluster, the same three lines): mfa-kit's backend
 * (records, limiter, events, policy, and the per-user session generation),
 * the sessions (connect-redis 8) and the session index, each key under the
 * user's hash tag where it must be, so nothing spans Cluster slots.
 */
export function redisStores(
  client: RedisClient,
  prefix = '',
  /** mfa-kit's limiter clock; `caller` only for tests that move a fake clock. @default 'redis' */
  clockSource: 'redis' | 'caller' = 'redis',
): Pick<ExampleAppOptions, 'backend' | 'sessionStore' | 'sessionIndex' | 'redisConfigured'> {
  return {
    backend: createRedisBackend({ client, prefix: `${prefix}mfa:`, clockSource }),
    sessionStore: new RedisStore({ client, prefix: `${prefix}example-sess:` }),
    sessionIndex: createRedisSessionIndex({ client, prefix: `${prefix}mfa:` }),
    redisConfigured: true,
  };
}
