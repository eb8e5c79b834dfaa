import type { MfaBackend } from '../ports/backend.js';
import { createMemoryCounterStore } from './memory-counter-store.js';
import { createMemoryEventLog } from './memory-event-log.js';
import { createMemoryMfaStore } from './memory-mfa-store.js';
import { createMemoryPolicyStore } from './memory-policy-store.js';
import { createMemoryTrustedDeviceStore } from './memory-trusted-device-store.js';

/** Options for {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** Events kept in the log before the oldest are dropped. @default 10_000 */
  eventLogMaxLength?: number;
  /** Audit events (admin actions, locks) are kept this long, ms, whatever the number of other events. @default 400 days */
  auditRetentionMs?: number;
}

/**
 * All the stores in process memory: for tests, the example app and
 * single-process apps. Same semantics as the Redis backend (both pass the
 * conformance suites of `@mfa-kit/testing`), but nothing survives a
 * restart and nothing is shared between processes, so limits are per process.
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MfaBackend {
  return {
    store: createMemoryMfaStore(),
    counters: createMemoryCounterStore(),
    policies: createMemoryPolicyStore(),
    events: createMemoryEventLog({
      ...(options.eventLogMaxLength === undefined ? {} : { maxLength: options.eventLogMaxLength }),
      ...(options.auditRetentionMs === undefined ? {} : { auditRetentionMs: options.auditRetentionMs }),
    }),
    trustedDevices: createMemoryTrustedDeviceStore(),
  };
}
