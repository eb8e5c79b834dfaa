// The memory backend: values first, then types.
export { createMemoryBackend } from './memory-backend.js';
export { createMemoryCounterStore } from './memory-counter-store.js';
export { createMemoryEventLog } from './memory-event-log.js';
export { createMemoryMfaStore } from './memory-mfa-store.js';
export { createMemoryPolicyStore } from './memory-policy-store.js';
export { createMemoryTrustedDeviceStore } from './memory-trusted-device-store.js';

export type { MemoryBackendOptions } from './memory-backend.js';
export type { MemoryEventLogOptions } from './memory-event-log.js';
export type { MemoryMfaStoreOptions } from './memory-mfa-store.js';
