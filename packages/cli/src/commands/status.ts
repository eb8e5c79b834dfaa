import type { CliCommand } from '../command.js';
import { formatStatus } from '../format.js';
import { TARGET_HELP, TARGET_OPTIONS, targetUser } from '../target-user.js';

/** `mfa-kit status <user>`: factors, recovery codes left, lock, cooldowns, trusted devices, policy requirement. */
export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show a user’s MFA status (factors, lock, cooldowns)',
  help: `Usage: mfa-kit status <user> [--org ORG] [--role ROLE ...] [--json]

Shows the user's enrolled factors, recovery codes left, lock and cooldowns,
and how many trusted devices ("remember this device") can still skip the
second factor (reset or lock ends them all).
Read-only; needs no encryption key.

${TARGET_HELP}`,
  options: TARGET_OPTIONS,
  confirms: () => false,
  async run(context) {
    const user = targetUser(context);
    const { mfa } = await context.connect();
    const [status, devices] = await Promise.all([mfa.status(user), mfa.trustedDevices.list(user)]);
    context.io.out(
      context.json
        ? JSON.stringify({ ...status, trustedDevices: devices.length }, null, 2)
        : formatStatus(status, devices.length),
    );
  },
};
