import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AttemptDecision, AttemptInput } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterUrls, createTestCluster, createTestRedis, redisUrl, uniquePrefix } from '../harness/index.js';
import type { WorkerJob } from './limiter-worker.js';
import { LIMITS, LOCK, TOTP_FACTOR } from './fixtures.js';

const WORKER = fileURLToPath(new URL('./limiter-worker.ts', import.meta.url));
const WORKSPACE_TSCONFIG = fileURLToPath(new URL('../../tsconfig.workspace.json', import.meta.url));

/**
 * Forks `processes` workers, gives each its job, waits until all are
 * connected, then releases them together and collects every decision.
 */
async function race(processes: number, job: Omit<WorkerJob, 'count'>, perProcess: number) {
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const done: Promise<AttemptDecision[]>[] = [];
  for (let i = 0; i < processes; i++) {
    const child = fork(WORKER, [], {
      // tsx resolves workspace packages to their sources through the paths of tsconfig.workspace.json.
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, TSX_TSCONFIG_PATH: WORKSPACE_TSCONFIG },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
      }),
    );
    child.send({ ...job, count: perProcess } satisfies WorkerJob);
  }
  try {
    await Promise.all(ready);
    for (const child of children) {
      done.push(
        new Promise((resolve) =>
          child.once('message', (message: { decisions: AttemptDecision[] }) => resolve(message.decisions)),
        ),
      );
    }
    for (const child of children) child.send('go');
    return (await Promise.all(done)).flat();
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

describe.each([
  ['single node', createTestRedis, () => ({ single: redisUrl() })],
  ['cluster', createTestCluster, () => ({ cluster: clusterUrls() })],
] as const)('limiter across processes on %s', (_name, connect, target) => {
  let client: Redis | Cluster;
  let prefix: string;

  beforeAll(() => {
    client = connect();
    prefix = uniquePrefix('cross-process');
  });
  afterAll(async () => {
    await client.quit();
  });

  it('4 processes × 250 wrong codes at one user: exactly maxFailures evaluated, the rest refused', async () => {
    const userId = `victim-${randomUUID()}`;
    const input: AttemptInput = {
      family: 'totp',
      check: { type: 'totp', step: null },
      limits: LIMITS,
      lock: LOCK,
      now: Date.now(),
    };
    const decisions = await race(4, { ...target(), prefix, userId, input }, 250);
    expect(decisions).toHaveLength(1000);
    expect(decisions.filter((d) => d.evaluated)).toHaveLength(LIMITS.maxFailures);
    expect(decisions.filter((d) => d.ok)).toHaveLength(0);
    expect(decisions.filter((d) => !d.ok && d.code === 'COOLDOWN' && d.started)).toHaveLength(1);
    expect(decisions.filter((d) => !d.ok && d.code === 'COOLDOWN' && !d.evaluated)).toHaveLength(995);
    const { store } = createRedisBackend({ client, prefix });
    const status = await store.getLimiterStatus(userId, input.now);
    expect(status.consecutiveFailures).toBe(LIMITS.maxFailures);
    expect(status.locked).toBe(false);
  });

  it('the same valid TOTP step submitted 52 times across 4 processes: exactly one success', async () => {
    const userId = `totp-${randomUUID()}`;
    const input: AttemptInput = {
      family: 'totp',
      check: { type: 'totp', step: Math.floor(Date.now() / 30_000) },
      limits: { ...LIMITS, maxFailures: 1000 },
      lock: { ...LOCK, maxConsecutiveFailures: 1000 },
      now: Date.now(),
    };
    await createRedisBackend({ client, prefix }).store.setTotp(userId, TOTP_FACTOR);
    const decisions = await race(4, { ...target(), prefix, userId, input }, 13);
    expect(decisions).toHaveLength(52);
    expect(decisions.filter((d) => d.ok)).toHaveLength(1);
    expect(decisions.filter((d) => !d.ok && d.code === 'INVALID_CODE' && d.reason === 'replay')).toHaveLength(
      51,
    );
  });

  it('one recovery code used 60 times across 3 processes: exactly one success, one code left', async () => {
    const userId = `recovery-${randomUUID()}`;
    const { store } = createRedisBackend({ client, prefix });
    await store.replaceRecoveryCodes(userId, ['hash-of-code-1', 'hash-of-code-2']);
    const input: AttemptInput = {
      family: 'recovery',
      check: { type: 'recovery', hash: 'hash-of-code-1' },
      limits: { ...LIMITS, maxFailures: 1000 },
      lock: { ...LOCK, maxConsecutiveFailures: 1000 },
      now: Date.now(),
    };
    const decisions = await race(3, { ...target(), prefix, userId, input }, 20);
    expect(decisions).toHaveLength(60);
    expect(decisions.filter((d) => d.ok)).toHaveLength(1);
    expect((await store.getRecord(userId))?.recoveryCodesRemaining).toBe(1);
  });
});
