import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCluster,
  hasRedisServer,
  LOOPBACK,
  REDIS_MISSING_MESSAGE,
  type RedisProcess,
  startRedisProcess,
  stopRedisProcess,
  unwatchDir,
  watchDir,
} from './redis-process.js';

/** Env var through which test files find the single Redis (set here, inherited by vitest's forks). */
export const SINGLE_URL_ENV = 'MFA_TEST_REDIS_URL';
/** Env var with the comma-separated cluster node URLs. */
export const CLUSTER_URLS_ENV = 'MFA_TEST_REDIS_CLUSTER_URLS';

const CLUSTER_MASTERS = 3;

/**
 * vitest globalSetup: provides one single Redis and one 3-master Redis
 * Cluster for the whole run. `REDIS_URL` / `REDIS_CLUSTER_URLS` are used
 * as-is when set (and then never flushed: tests isolate themselves with
 * unique key prefixes); otherwise private loopback servers are started in a
 * per-run temp dir, and the returned teardown stops exactly those processes.
 *
 * URLs reach test files through `process.env` (vitest's `forks` pool spawns
 * its workers after this runs, so they inherit the variables).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const givenSingle = process.env['REDIS_URL'];
  const givenCluster = process.env['REDIS_CLUSTER_URLS'];
  const started: RedisProcess[] = [];
  let dir: string | null = null;

  const teardown = async () => {
    await Promise.all(started.map((server) => stopRedisProcess(server)));
    started.length = 0;
    if (dir !== null) {
      rmSync(dir, { recursive: true, force: true });
      unwatchDir(dir);
    }
    dir = null;
  };

  const needsServer = !givenSingle || !givenCluster;
  const canStart = needsServer && hasRedisServer();
  if (!givenSingle && !canStart) throw new Error(REDIS_MISSING_MESSAGE);

  try {
    if (canStart) {
      dir = mkdtempSync(join(tmpdir(), 'mfa-kit-redis-'));
      watchDir(dir);
    }

    if (givenSingle) {
      process.env[SINGLE_URL_ENV] = givenSingle;
    } else if (dir !== null) {
      const single = await startRedisProcess({ dir });
      started.push(single);
      process.env[SINGLE_URL_ENV] = `redis://${LOOPBACK}:${single.port}`;
    }

    if (givenCluster) {
      process.env[CLUSTER_URLS_ENV] = givenCluster;
    } else if (dir !== null) {
      const nodeDir = dir;
      const nodes: RedisProcess[] = [];
      // Sequential: parallel starts would race for the same free ports.
      for (let i = 0; i < CLUSTER_MASTERS; i++) {
        const node = await startRedisProcess({ dir: nodeDir, cluster: true });
        started.push(node);
        nodes.push(node);
      }
      await createCluster(nodes.map((node) => node.port));
      process.env[CLUSTER_URLS_ENV] = nodes.map((node) => `redis://${LOOPBACK}:${node.port}`).join(',');
    } else {
      // REDIS_URL given, no cluster URLs, no redis-server: cluster tests fail with a clear message.
      delete process.env[CLUSTER_URLS_ENV];
    }
  } catch (error) {
    await teardown();
    throw error;
  }

  return teardown;
}
