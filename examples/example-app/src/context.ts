import type { Clock, Mfa } from '@mfa-kit/core';
import type { MfaExpress } from '@mfa-kit/express';
import type { DevInbox } from './dev/dev-inbox.js';
import type { UserDirectory } from './users.js';

/** What every page of the example needs; built once by `createExampleApp`. */
export interface AppContext {
  mfa: Mfa;
  /** mfa-kit's Express pieces (strategies, startSignIn, requireMfa, self-service router). */
  kit: MfaExpress;
  users: UserDirectory;
  inbox: DevInbox;
  clock: Clock;
  /** Whether SMS codes go to the dev inbox (no Twilio configured). */
  smsToInbox: boolean;
  /** Development mode: the dev inbox exists and development hints are shown. */
  development: boolean;
  /** Sessions and MFA data are in Redis (the dev inbox is per process then). */
  redisConfigured: boolean;
}
