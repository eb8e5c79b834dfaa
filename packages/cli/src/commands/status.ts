import type { CliCommand } from '../command.js';
import { formatStatus } from '../format.js';
import { TARGET_HELP, TARGET_OPTIONS, targetUser } from '../target-user.js';

/** `mfa-kit status <user>`: factors, recovery codes left, lock, cooldowns, policy requirement. */
export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show a user’s MFA status (factors, lock, cooldowns)',
  help: `Usage: mfa-kit status <user> [--org ORG] [--role ROLE ...] [--json]

Shows the user's enrolled factors, recovery codes left, lock and cooldowns.
Read-only; needs no encryption key.

${TARGET_HELP}`,
  options: TARGET_OPTIONS,
  confirms: () => false,
  async run(context) {
    const user = targetUser(context);
    const { mfa } = await context.connect();
    const status = await mfa.status(user);
    context.io.out(context.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  },
};
