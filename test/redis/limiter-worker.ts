/**
 * Child process for the cross-process limiter tests: connects its own ioredis
 * client, builds its own Redis backend, waits for the parent's `go` (a start
 * barrier so every process fires at the same moment), fires its attempts all
 * at once, and reports every decision back over IPC.
 */
import { Cluster, Redis } from 'ioredis';
import { createRedisBackend } from '@mfa-kit/core/redis';
import type { AttemptInput } from '@mfa-kit/core';

/** What the parent sends to start a worker. */
export interface WorkerJob {
  single?: string;
  cluster?: string[];
  prefix: string;
  userId: string;
  count: number;
  input: AttemptInput;
}

function connect(job: WorkerJob): Redis | Cluster {
  if (job.cluster !== undefined) {
    return new Cluster(
      job.cluster.map((url) => {
        const parsed = new URL(url);
        return { host: parsed.hostname, port: Number(parsed.port) };
      }),
    );
  }
  return new Redis(job.single ?? '');
}

process.once('message', async (job: WorkerJob) => {
  const client = connect(job);
  const { store } = createRedisBackend({ client, prefix: job.prefix, commandTimeoutMs: 20_000 });
  // Warm up the connection (and the cluster slot map) before the barrier.
  await store.getLimiterStatus(`${job.userId}-warmup`, job.input.now);
  process.send?.({ ready: true });
  process.once('message', async () => {
    const decisions = await Promise.all(
      Array.from({ length: job.count }, () => store.attempt(job.userId, job.input)),
    );
    process.send?.({ decisions }, () => {
      client.disconnect();
      process.exit(0);
    });
  });
});
