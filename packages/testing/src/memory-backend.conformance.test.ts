// The conformance suites against @mfa-kit/core's memory backend.
import { createMemoryBackend } from '@mfa-kit/core';
import {
  runCounterStoreConformance,
  runEventLogConformance,
  runMfaStoreConformance,
  runPolicyStoreConformance,
  runTrustedDeviceStoreConformance,
} from './index.js';

runMfaStoreConformance('memory', () => createMemoryBackend().store);
runCounterStoreConformance('memory', () => createMemoryBackend().counters);
runPolicyStoreConformance('memory', () => createMemoryBackend().policies);
runTrustedDeviceStoreConformance('memory', () => createMemoryBackend().trustedDevices);
runEventLogConformance(
  'memory (cap 60, audit kept 60 s)',
  () => createMemoryBackend({ eventLogMaxLength: 60, auditRetentionMs: 60_000 }).events,
  { maxLength: 60, auditRetentionMs: 60_000 },
);
runEventLogConformance('memory backend (default cap)', () => createMemoryBackend().events);
