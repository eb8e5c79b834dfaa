import { createRedisBackend } from '@mfa-kit/core/redis';
import { createRedisSessionIndex } from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import { Cluster, Redis } from 'ioredis';
import type { ExampleAppOptions } from './app.js';

/** One Redis node or a Redis Cluster: everything below takes either. */
export type RedisClient = Redis | Cluster;

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
    return { client: new Cluster(nodes), label: `Redis Cluster (${clusterUrls.join(', ')})` };
  }
  if (env.REDIS_URL) return { client: new Redis(env.REDIS_URL), label: `Redis (${env.REDIS_URL})` };
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
): Pick<ExampleAppOptions, 'backend' | 'sessionStore' | 'sessionIndex' | 'redisConfigured'> {
  return {
    backend: createRedisBackend({ client, prefix: `${prefix}mfa:` }),
    sessionStore: new RedisStore({ client, prefix: `${prefix}example-sess:` }),
    sessionIndex: createRedisSessionIndex({ client, prefix: `${prefix}mfa:` }),
    redisConfigured: true,
  };
}
