// The conformance suites against @mfa-kit/core/redis, on a single node and a cluster, and on both with
// ioredis' autopipelining (the express README's client): on a Cluster it batches by the first argument,
// which for a script is not a key, so the backend sends scripts there in pipelines of their own.
import { createRedisBackend } from '@mfa-kit/core/redis';
import { afterAll } from 'vitest';
import { createTestCluster, createTestRedis, uniquePrefix } from '../../../test/harness/index.js';
import {
  runCounterStoreConformance,
  runEventLogConformance,
  runMfaStoreConformance,
  runPolicyStoreConformance,
  runTrustedDeviceStoreConformance,
} from './index.js';

const single = createTestRedis();
const cluster = createTestCluster();
const singlePipelining = createTestRedis({ enableAutoPipelining: true });
const clusterPipelining = createTestCluster({ enableAutoPipelining: true });
afterAll(async () => {
  await Promise.all([single.quit(), cluster.quit(), singlePipelining.quit(), clusterPipelining.quit()]);
});

for (const [name, client] of [
  ['redis single node', single],
  ['redis cluster', cluster],
  ['redis single node, autopipelining', singlePipelining],
  ['redis cluster, autopipelining', clusterPipelining],
] as const) {
  // The suites simulate time through `now`; Redis TIME (the default clock) is tested in core's redis-clock.test.ts.
  const backend = () =>
    createRedisBackend({ client, prefix: uniquePrefix('conformance'), clockSource: 'caller' });
  runMfaStoreConformance(name, () => backend().store);
  runCounterStoreConformance(name, () => backend().counters);
  runPolicyStoreConformance(name, () => backend().policies);
  runTrustedDeviceStoreConformance(name, () => backend().trustedDevices);
  // XADD MAXLEN ~ trims whole stream nodes, so the exact-cap case of the suite doesn't apply.
  runEventLogConformance(
    name,
    () =>
      createRedisBackend({ client, prefix: uniquePrefix('conformance'), auditRetentionMs: 60_000 }).events,
    { auditRetentionMs: 60_000 },
  );
}
