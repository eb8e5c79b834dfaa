import type { CliCommand } from '../command.js';
import { TARGET_HELP, TARGET_OPTIONS, assertKnownUser, reasonOf, targetUser } from '../target-user.js';

/** `mfa-kit reset <user>`: the break-glass MFA reset (seeds 000 and 003: every admin locked out). */
export const resetCommand: CliCommand = {
  name: 'reset',
  summary: 'Remove a user’s factors and recovery codes and end their sessions',
  help: `Usage: mfa-kit reset <user> [--reason TEXT] [--force] [--yes]

Removes every factor (authenticator app, SMS) and recovery code of the user
and, in the same atomic step, moves their session epoch on: every session of
the user, wherever the app stores it, is refused at its next request (the
app's mfa-kit session store checks the epoch on every load). If policy
requires MFA for them, they set it up again at their next sign-in. Does not
lift a lock (use \`unlock\`). Asks you to type the user id unless --yes.

${TARGET_HELP}`,
  options: TARGET_OPTIONS,
  confirms: () => true,
  async run(context) {
    const user = targetUser(context);
    const { mfa } = await context.connect();
    await assertKnownUser(context, mfa, user);
    await context.confirm({
      expect: user.id,
      prompt: `This removes every MFA factor and recovery code of "${user.id}" and ends their sessions.\nType the user id to confirm: `,
    });
    await mfa.admin.reset(context.actor, user, reasonOf(context));
    context.io.out(
      context.json
        ? JSON.stringify({ ok: true, action: 'reset', userId: user.id })
        : `MFA reset for ${user.id}: factors and recovery codes removed, sessions ended.`,
    );
  },
};
