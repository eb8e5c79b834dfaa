import { randomBytes } from 'node:crypto';
import { type Mfa, MfaError, type MfaPolicy, createMfa } from '@mfa-kit/core';
import { acknowledgeStoreReset, createRedisBackend } from '@mfa-kit/core/redis';
import { Cluster, Redis } from 'ioredis';
import { usageError } from './usage-error.js';

/** The app's AES-256-GCM key ring, as in `createMfa({ encryption })`: key id → base64 32-byte key. */
export interface CliEncryption {
  keys: Record<string, string>;
  currentKeyId: string;
}

/** Where and how the CLI connects. */
export interface CliConnection {
  /** A single node (or a Sentinel-less primary): `redis://[user:pass@]host:port[/db]`, `rediss://` for TLS. */
  redisUrl?: string | undefined;
  /** Cluster nodes; wins over `redisUrl`. */
  clusterUrls?: readonly string[] | undefined;
  /** Key prefix of mfa-kit. */
  prefix: string;
  /** The app's `hashKey`; only needed by operations that check codes or sign tokens (none of the current commands). */
  hashKey?: string | undefined;
  /** Connect timeout, ms. */
  connectTimeoutMs: number;
  /** The app's encryption keys; only `reencrypt` needs (and passes) them. */
  encryption?: CliEncryption | undefined;
}

/** An open connection and the mfa-kit instance on it. */
export interface CliSession {
  mfa: Mfa;
  /**
   * The policy saved in Redis, or null when none was ever saved: the app then
   * runs on the default from its own `createMfa({ policy })`, which the CLI
   * cannot see (and `mfa.admin.getPolicy()` here would show mfa-kit's built-in default instead).
   */
  storedPolicy(): Promise<MfaPolicy | null>;
  /** Writes an acknowledged deployment marker (ends STORE_RESET everywhere); returns it. */
  acknowledgeReset(): Promise<string>;
  /** Closes the Redis connection. */
  close(): Promise<void>;
}

/** Text of a URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function parseUrl(url: string): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(parsed.protocol);
    return parsed;
  } catch (cause) {
    throw usageError(`Not a redis:// or rediss:// URL: ${redactUrl(url)}`, cause);
  }
}

/**
 * Connects to Redis and builds an mfa-kit instance for the break-glass
 * commands. Apart from `reencrypt` (which passes the app's key ring) they
 * never decrypt a secret or check a code, so when the app's keys are not
 * given the instance gets throwaway random ones: `status`,
 * `reset`, `lock`, `unlock`, `reset-cooldown`, `events` and `policy` read
 * and write only what needs no key (masked phone numbers are stored as such).
 * `reset` and `lock` end the user's sessions through core's session epoch
 * (bumped in the same atomic step), which the app's session store checks on
 * every load: nothing here needs to know where or under which prefix the app
 * keeps its sessions.
 */
export async function connectCli(connection: CliConnection): Promise<CliSession> {
  const timeout = connection.connectTimeoutMs;
  let client: Redis | Cluster;
  let where: string;
  if (connection.clusterUrls !== undefined && connection.clusterUrls.length > 0) {
    const urls = connection.clusterUrls.map(parseUrl);
    where = `Redis Cluster ${connection.clusterUrls.map(redactUrl).join(',')}`;
    const first = urls[0] as URL;
    client = new Cluster(
      urls.map((u) => ({ host: u.hostname, port: Number(u.port || 6379) })),
      {
        lazyConnect: true,
        clusterRetryStrategy: () => null,
        redisOptions: {
          connectTimeout: timeout,
          maxRetriesPerRequest: 1,
          username: first.username === '' ? undefined : decodeURIComponent(first.username),
          password: first.password === '' ? undefined : decodeURIComponent(first.password),
          tls: first.protocol === 'rediss:' ? {} : undefined,
        },
      },
    );
  } else if (connection.redisUrl !== undefined && connection.redisUrl !== '') {
    parseUrl(connection.redisUrl);
    where = `Redis at ${redactUrl(connection.redisUrl)}`;
    client = new Redis(connection.redisUrl, {
      lazyConnect: true,
      connectTimeout: timeout,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
  } else {
    throw usageError('No Redis to connect to: pass --redis-url (or set REDIS_URL) or --redis-cluster.');
  }
  // ioredis reports connection errors as events; keep the last one for a clear message below.
  let lastError: Error | null = null;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await withTimeout(client.connect(), timeout + 500);
  } catch (cause) {
    client.disconnect();
    const seen = lastError as Error | null;
    const reason = seen?.message ?? (cause instanceof Error ? cause.message : String(cause));
    throw new MfaError('STORE_UNAVAILABLE', { message: `Cannot connect to ${where}: ${reason}`, cause });
  }
  const backend = createRedisBackend({ client, prefix: connection.prefix });
  const mfa = createMfa({
    backend,
    encryption: connection.encryption ?? {
      keys: { 'cli-unused': randomBytes(32) },
      currentKeyId: 'cli-unused',
    },
    hashKey: connection.hashKey ?? randomBytes(32),
    issuer: 'mfa-kit',
  });
  return {
    mfa,
    storedPolicy: () => backend.policies.get(),
    acknowledgeReset: () => acknowledgeStoreReset(client, { prefix: connection.prefix }),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
