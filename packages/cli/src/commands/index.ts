import type { CliCommand } from '../command.js';
import { clearAddressCommand } from './clear-address.js';
import { eventsCommand } from './events.js';
import { lockCommand } from './lock.js';
import { policyCommand } from './policy.js';
import { reencryptCommand } from './reencrypt.js';
import { resetCooldownCommand } from './reset-cooldown.js';
import { resetCommand } from './reset.js';
import { statusCommand } from './status.js';
import { storeCommand } from './store.js';
import { unlockCommand } from './unlock.js';

/** Every command, in `--help` order. */
export const COMMANDS: readonly CliCommand[] = [
  statusCommand,
  resetCommand,
  lockCommand,
  unlockCommand,
  resetCooldownCommand,
  clearAddressCommand,
  eventsCommand,
  policyCommand,
  reencryptCommand,
  storeCommand,
];
