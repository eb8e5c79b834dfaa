import type { Clock, Mfa } from '@mfa-kit/core';
import type { DevInbox } from './dev/dev-inbox.js';
import type { SessionIndex } from './session-index.js';
import type { UserDirectory } from './users.js';

/** What every route of the example needs; built once by `createExampleApp`. */
export interface AppContext {
  mfa: Mfa;
  users: UserDirectory;
  inbox: DevInbox;
  clock: Clock;
  sessions: SessionIndex;
  /** Whether SMS codes go to the dev inbox (no Twilio configured). */
  smsToInbox: boolean;
}
