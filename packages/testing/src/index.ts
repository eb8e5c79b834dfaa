// Conformance suites for store adapters (`@mfa-kit/testing`). They register
// vitest tests: ESM only, with vitest as a peer dependency.
export { runCounterStoreConformance } from './counter-store-conformance.js';
export { runEventLogConformance } from './event-log-conformance.js';
export { runMfaStoreConformance } from './mfa-store-conformance.js';
export { runPolicyStoreConformance } from './policy-store-conformance.js';
export { runTrustedDeviceStoreConformance } from './trusted-device-store-conformance.js';

export type { ConformanceOptions, MakeStore } from './conformance-fixtures.js';
export type { EventLogConformanceOptions } from './event-log-conformance.js';
