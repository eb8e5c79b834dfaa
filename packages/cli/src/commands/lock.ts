import type { CliCommand } from '../command.js';
import { TARGET_HELP, TARGET_OPTIONS, assertKnownUser, reasonOf, targetUser } from '../target-user.js';

/** `mfa-kit lock <user>` (seed 004 "Lock user account"). */
export const lockCommand: CliCommand = {
  name: 'lock',
  summary: 'Lock an account until someone unlocks it, and end its sessions',
  help: `Usage: mfa-kit lock <user> [--reason TEXT] [--force] [--yes]

Locks the account and, in the same atomic step, moves the user's session
epoch on: every live session of the user is refused at its next request, and
every sign-in is refused ("contact your administrator") until an admin, this
CLI (\`unlock --break-glass\`) or, if policy allows, an unlock link lifts it.
Asks you to type the user id unless --yes.

${TARGET_HELP}`,
  options: TARGET_OPTIONS,
  confirms: () => true,
  async run(context) {
    const user = targetUser(context);
    const { mfa } = await context.connect();
    await assertKnownUser(context, mfa, user);
    await context.confirm({
      expect: user.id,
      prompt: `This locks "${user.id}" out and ends their sessions until someone unlocks the account.\nType the user id to confirm: `,
    });
    await mfa.admin.lock(context.actor, user, reasonOf(context));
    context.io.out(
      context.json
        ? JSON.stringify({ ok: true, action: 'lock', userId: user.id })
        : `Locked ${user.id}; their sessions ended.`,
    );
  },
};
