import type { Cluster, Redis } from 'ioredis';

/** An ioredis client: a single node (also behind Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;
