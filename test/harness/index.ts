/**
 * Redis test harness for every package's tests.
 *
 * Import it with a relative path, e.g. from `packages/core/src/redis/x.test.ts`:
 * `import { createTestRedis } from '../../../../test/harness/index.js';`
 * (packages must not depend on the private `@mfa-kit/test` workspace). Tests
 * under `test/` may use `@mfa-kit/test/harness` too; both resolve under vitest.
 *
 * The servers come from `global-setup.ts` (wired in the root vitest config).
 * Isolate every test with {@link uniquePrefix}: a server given through
 * `REDIS_URL` is shared and is never flushed.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { CLUSTER_URLS_ENV, SINGLE_URL_ENV } from './global-setup.js';
import {
  LOOPBACK,
  type RedisProcess,
  startRedisProcess,
  stopRedisProcess,
  track,
  unwatchDir,
  watchDir,
} from './redis-process.js';

/** URL of the run's single Redis node (`redis://127.0.0.1:<port>` or `REDIS_URL`). */
export function redisUrl(): string {
  const url = process.env[SINGLE_URL_ENV];
  if (!url) {
    throw new Error(
      `${SINGLE_URL_ENV} is not set: run tests through vitest with test/harness/global-setup.ts`,
    );
  }
  return url;
}

/** URLs of the run's Redis Cluster nodes (the 3 private masters, or `REDIS_CLUSTER_URLS`). */
export function clusterUrls(): string[] {
  const urls = process.env[CLUSTER_URLS_ENV];
  if (!urls) {
    throw new Error(
      `${CLUSTER_URLS_ENV} is not set: install redis-server or set REDIS_CLUSTER_URLS to run cluster tests`,
    );
  }
  return urls
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
}

/** A new ioredis client on the single node. The caller closes it (`quit()`/`disconnect()`). */
export function createTestRedis(options: RedisOptions = {}): Redis {
  return new Redis(redisUrl(), options);
}

/**
 * A new ioredis Cluster client on the cluster. The caller closes it. Nodes
 * announce loopback addresses, which are reachable as-is, so no `natMap`.
 */
export function createTestCluster(options: ClusterOptions = {}): Cluster {
  const nodes = clusterUrls().map((url) => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  return new Cluster(nodes, options);
}

/** A key prefix unique to this call, e.g. `t:recovery-race:3f9a1c2b7d:`, so tests never collide. */
export function uniquePrefix(name: string): string {
  return `t:${name}:${randomBytes(5).toString('hex')}:`;
}

/**
 * Hands a server process a test spawned itself (e.g. a Sentinel) to the same
 * watchdog that guards the harness's redis-servers: if the test process is
 * SIGKILLed or crashes without teardown, the watchdog SIGKILLs the child, so
 * no server outlives the run; a normal `exit` kills it too. Once the child
 * exits it is forgotten, so stopping it yourself in `afterAll` stays correct.
 */
export function trackProcess(child: ChildProcess): void {
  track(child);
}

/** A private redis-server owned by one test, for fault tests. */
export interface PrivateRedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM), waiting until it exited. Data is lost (no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers. */
  start(): Promise<void>;
}

/**
 * Starts a private redis-server on a free loopback port for a test that
 * needs to stop and restart Redis mid-test (fail-closed and recovery tests).
 * Call `stop()` at the end (it also removes the server's temp dir); a server
 * left running is killed when the test process exits.
 */
export async function startRedisServer(): Promise<PrivateRedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-kit-redis-private-'));
  watchDir(dir);
  let current: RedisProcess | null;
  try {
    current = await startRedisProcess({ dir });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = current.port;
  return {
    url: `redis://${LOOPBACK}:${port}`,
    port,
    async stop() {
      if (current !== null) await stopRedisProcess(current);
      current = null;
      rmSync(dir, { recursive: true, force: true });
      unwatchDir(dir);
    },
    async start() {
      if (current !== null) return;
      mkdirSync(dir, { recursive: true });
      watchDir(dir);
      current = await startRedisProcess({ dir, port });
    },
  };
}
