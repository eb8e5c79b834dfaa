import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import calculateSlot from 'cluster-key-slot';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  clusterUrls,
  createTestCluster,
  createTestRedis,
  redisUrl,
  startRedisServer,
  uniquePrefix,
} from './index.js';
import { rawCommand, waitFor } from './redis-process.js';

describe('test harness', () => {
  it('exposes a working single Redis to test workers', async () => {
    expect(redisUrl()).toMatch(/^redis:\/\//);
    const redis = createTestRedis();
    try {
      const key = `${uniquePrefix('harness')}single`;
      await redis.set(key, 'v1', 'PX', 60_000);
      expect(await redis.get(key)).toBe('v1');
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });

  it('exposes a 3-master cluster covering all 16384 slots', async () => {
    expect(clusterUrls()).toHaveLength(3);
    const cluster = createTestCluster();
    try {
      const info = await cluster.cluster('INFO');
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_slots_assigned:16384');
      expect(info).toContain('cluster_known_nodes:3');
      const prefix = uniquePrefix('harness');
      // Keys spread over the slots, so every master gets some.
      const keys = Array.from({ length: 30 }, (_, i) => `${prefix}k${i}`);
      await Promise.all(keys.map((key, i) => cluster.set(key, String(i), 'PX', 60_000)));
      expect(await Promise.all(keys.map((key) => cluster.get(key)))).toEqual(keys.map((_, i) => String(i)));
      expect(new Set(keys.map((key) => cluster.slots[calculateSlot(key)]?.[0])).size).toBe(3);
      await Promise.all(keys.map((key) => cluster.del(key)));
    } finally {
      cluster.disconnect();
    }
  });

  it('gives unique prefixes', () => {
    expect(uniquePrefix('x')).not.toBe(uniquePrefix('x'));
    expect(uniquePrefix('name')).toMatch(/^t:name:[0-9a-f]+:$/);
  });

  it('starts a private server that can be stopped and restarted on the same port', async () => {
    const server = await startRedisServer();
    const redis = createRedisFor(server.url);
    try {
      await waitUntilReady(redis);
      await redis.set('k', 'before');
      expect(await redis.get('k')).toBe('before');
      await server.stop();
      await expect(redis.get('k')).rejects.toThrow();
      await server.start();
      await waitUntilReady(redis);
      // No persistence: the restarted server is empty, but the same URL works again.
      expect(await redis.get('k')).toBeNull();
      await redis.set('k', 'after');
      expect(await redis.get('k')).toBe('after');
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});

/** A client that fails fast while the server is down and reconnects quickly once it is back. */
function createRedisFor(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 50,
  });
  redis.on('error', () => undefined);
  return redis;
}

async function waitUntilReady(redis: Redis): Promise<void> {
  for (let i = 0; i < 200 && redis.status !== 'ready'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(redis.status).toBe('ready');
}

const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));

/** Runs TypeScript in a fresh node process (through tsx), as a crashing or misconfigured test run would. */
function spawnTs(source: string, env: NodeJS.ProcessEnv = process.env) {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: HARNESS_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(stream: NodeJS.ReadableStream | null): { text: () => string } {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
  });
  return { text: () => text };
}

describe('test harness failure modes', () => {
  it('fails with the documented message when redis-server is missing and no REDIS_URL is set', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
    delete env['REDIS_URL'];
    delete env['REDIS_CLUSTER_URLS'];
    const setupUrl = pathToFileURL(join(HARNESS_DIR, 'global-setup.ts')).href;
    const child = spawnTs(
      `import setup from ${JSON.stringify(setupUrl)};
       setup().then(() => console.log('started'), (error) => console.log('ERROR ' + error.message));`,
      env,
    );
    const out = collect(child.stdout);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out.text().trim()).toBe(
      'ERROR redis-server not found: apt-get install redis-server, or set REDIS_URL',
    );
  });

  it('kills its redis-servers when the test process is SIGKILLed', async () => {
    const processUrl = pathToFileURL(join(HARNESS_DIR, 'redis-process.ts')).href;
    const child = spawnTs(
      `import { mkdtempSync } from 'node:fs';
       import { tmpdir } from 'node:os';
       import { join } from 'node:path';
       import { startRedisProcess, watchDir } from ${JSON.stringify(processUrl)};
       const dir = mkdtempSync(join(tmpdir(), 'mfa-kit-redis-crash-'));
       watchDir(dir);
       const server = await startRedisProcess({ dir });
       console.log(JSON.stringify({ port: server.port, dir }));
       setInterval(() => {}, 1_000);`,
    );
    const out = collect(child.stdout);
    try {
      await waitFor('the child to start redis', async () => out.text().includes('\n'), 20_000);
      const { port, dir } = JSON.parse(out.text()) as { port: number; dir: string };
      expect(await rawCommand(port, 'PING', (reply) => reply.includes('\r\n'))).toBe('+PONG\r\n');
      child.kill('SIGKILL');
      await waitFor(
        'the orphaned redis-server to be killed',
        () =>
          rawCommand(port, 'PING', () => true).then(
            () => false,
            () => true,
          ),
        10_000,
      );
      await waitFor('the temp dir to be removed', async () => !existsSync(dir), 10_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
