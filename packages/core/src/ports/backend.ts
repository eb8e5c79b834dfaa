import type { CounterStore } from './counter-store.js';
import type { EventLog } from './event-log.js';
import type { MfaStore } from './mfa-store.js';
import type { PolicyStore } from './policy-store.js';
import type { TrustedDeviceStore } from './trusted-device-store.js';

/** The stores one mfa-kit instance needs, usually from one backend (memory or Redis). */
export interface MfaBackend {
  store: MfaStore;
  counters: CounterStore;
  policies: PolicyStore;
  events: EventLog;
  /** Trusted devices ("remember this device"). */
  trustedDevices: TrustedDeviceStore;
}
