import type { CliCommand } from '../command.js';
import { TARGET_HELP, TARGET_OPTIONS, reasonOf, targetUser } from '../target-user.js';

/** `mfa-kit unlock <user>`: lifts the lock and clears the failure counters. */
export const unlockCommand: CliCommand = {
  name: 'unlock',
  summary: 'Unlock an account and clear its failure counters and cooldowns',
  help: `Usage: mfa-kit unlock <user> [--reason TEXT] [--yes]

Lifts the lock and clears every failure counter and cooldown of the user, so
they can sign in again with their existing factors. Asks you to type the user
id unless --yes.

${TARGET_HELP}`,
  options: TARGET_OPTIONS,
  confirms: () => true,
  async run(context) {
    const user = targetUser(context);
    await context.confirm({
      expect: user.id,
      prompt: `This unlocks "${user.id}" and clears their failure counters.\nType the user id to confirm: `,
    });
    const { mfa } = await context.connect();
    await mfa.admin.unlock(context.actor, user, reasonOf(context));
    context.io.out(
      context.json
        ? JSON.stringify({ ok: true, action: 'unlock', userId: user.id })
        : `Unlocked ${user.id}; failure counters and cooldowns cleared.`,
    );
  },
};
