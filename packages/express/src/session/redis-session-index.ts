import { MfaError } from '@mfa-kit/core';
import { userHashTag } from '@mfa-kit/core/redis';
import type { SessionIndex } from './session-index.js';

/**
 * The commands the session index sends, as a structural type: an ioredis
 * `Redis` or `Cluster` satisfies it, and this package's declarations don't
 * name ioredis, so a strict TypeScript consumer without ioredis still compiles.
 */
export interface SessionIndexRedisClient {
  /** ioredis' Cluster flag and options: a Cluster client that autopipelines files entries with MULTI. */
  readonly isCluster?: boolean;
  readonly options?: { enableAutoPipelining?: boolean };
  multi(): SessionIndexTransaction;
  srem(key: string, member: string): Promise<unknown>;
  /** `EVAL script numberOfKeys ...keysAndArgs` (ioredis' `eval`). */
  eval(script: string, numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
}

/** The MULTI chain {@link SessionIndexRedisClient} returns (ioredis' `ChainableCommander`). */
export interface SessionIndexTransaction {
  sadd(key: string, member: string): SessionIndexTransaction;
  pexpire(key: string, ms: number): SessionIndexTransaction;
  smembers(key: string): SessionIndexTransaction;
  del(key: string): SessionIndexTransaction;
  exec(): Promise<[error: Error | null, result: unknown][] | null>;
}

/** Options of {@link createRedisSessionIndex}. */
export interface RedisSessionIndexOptions {
  /** An ioredis client (single node, Sentinel or Cluster); see {@link SessionIndexRedisClient}. */
  client: SessionIndexRedisClient;
  /** Key prefix, shared with core's keys. @default 'mfa:' */
  prefix?: string;
  /**
   * Lifetime of a user's index entry, refreshed at every add. Keep it at least
   * as long as a session can live (cookie maxAge / connect-redis ttl).
   * @default 1_209_600_000 (14 days)
   */
  ttlMs?: number;
}

/** 14 days: longer than connect-redis' default session ttl (1 day) and typical "remember me" cookies. */
export const DEFAULT_SESSION_INDEX_TTL_MS = 1_209_600_000;

/**
 * `add` as one script: SADD and PEXPIRE in one atomic step, so an entry never
 * lives without the key's TTL. One command (issue 13: a MULTI SADD PEXPIRE
 * EXEC was four commands, four replies and a pipeline per sign-in).
 * KEYS: 1 the user's index. ARGV: 1 session id, 2 TTL ms.
 */
const ADD_SCRIPT = "redis.call('SADD', KEYS[1], ARGV[1]) return redis.call('PEXPIRE', KEYS[1], ARGV[2])";

/**
 * {@link SessionIndex} in Redis: one SET per user at `<prefix>{u:<id>}:sessions`.
 * The user's hash tag (core's `userHashTag`, with the same escaping of `{`,
 * `}` and `%`) puts it in the same Cluster slot as core's per-user keys. `add` is SADD + PEXPIRE in one
 * script (one command, atomic; a MULTI on a Cluster client that autopipelines); `takeAll` is
 * SMEMBERS + DEL in one MULTI, so a session filed concurrently is either
 * returned or stays for the next revocation, never silently dropped.
 */
export function createRedisSessionIndex(options: RedisSessionIndexOptions): SessionIndex {
  const prefix = options.prefix ?? 'mfa:';
  const ttlMs = options.ttlMs ?? DEFAULT_SESSION_INDEX_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
    throw new MfaError('CONFIGURATION', { message: 'session index: `ttlMs` must be a positive integer' });
  const client = options.client;
  const key = (userId: string) => `${prefix}${userHashTag(userId)}:sessions`;
  // ioredis' autopipelining on a Cluster batches a command by the slot of its first argument, for EVAL
  // the script's source: the entry's script would go out with another slot's commands and the batch be
  // refused. There `add` is SADD + PEXPIRE in one MULTI (never autopipelined, routed by its key).
  const addInTransaction = client.isCluster === true && client.options?.enableAutoPipelining === true;
  const run = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (cause) {
      throw new MfaError('STORE_UNAVAILABLE', { message: 'The session index could not be reached.', cause });
    }
  };
  return {
    add: (userId, sid) =>
      run(async () => {
        if (!addInTransaction) {
          await client.eval(ADD_SCRIPT, 1, key(userId), sid, ttlMs);
          return;
        }
        const replies = await client.multi().sadd(key(userId), sid).pexpire(key(userId), ttlMs).exec();
        const failed = replies?.find(([error]) => error !== null);
        if (replies === null || failed !== undefined) throw failed?.[0] ?? new Error('MULTI aborted');
      }),
    remove: (userId, sid) =>
      run(async () => {
        await client.srem(key(userId), sid);
      }),
    takeAll: (userId) =>
      run(async () => {
        const replies = await client.multi().smembers(key(userId)).del(key(userId)).exec();
        const [error, members] = replies?.[0] ?? [null, []];
        if (error) throw error;
        return Array.isArray(members) ? members.map(String) : [];
      }),
  };
}
