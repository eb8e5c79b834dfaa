import type { CliCommand } from '../command.js';
import { TARGET_HELP, TARGET_OPTIONS, assertKnownUser, reasonOf, targetUser } from '../target-user.js';

/** `mfa-kit unlock <user>`: lifts the lock and clears the failure counters. */
export const unlockCommand: CliCommand = {
  name: 'unlock',
  summary: 'Unlock an account and clear its failure counters and cooldowns',
  help: `Usage: mfa-kit unlock <user> [--reason TEXT] [--break-glass] [--force] [--yes]

Lifts the lock and clears every failure counter and cooldown of the user, so
they can sign in again with their existing factors. Asks you to type the user
id unless --yes.

A lock an admin placed (rather than one from failed attempts) is lifted only
with --break-glass: the CLI can't tell who runs it, so it might be the locked
admin themselves. The unlock event then records breakGlass: true.

${TARGET_HELP}
  --break-glass    lift a lock an admin placed (audited as break-glass)`,
  options: { ...TARGET_OPTIONS, 'break-glass': { type: 'boolean' } },
  confirms: () => true,
  async run(context) {
    const user = targetUser(context);
    const breakGlass = context.values['break-glass'] === true;
    const { mfa } = await context.connect();
    await assertKnownUser(context, mfa, user);
    await context.confirm({
      expect: user.id,
      prompt: `This unlocks "${user.id}" and clears their failure counters.\nType the user id to confirm: `,
    });
    await mfa.admin.unlock(context.actor, user, {
      ...reasonOf(context),
      ...(breakGlass ? { breakGlass } : {}),
    });
    context.io.out(
      context.json
        ? JSON.stringify({ ok: true, action: 'unlock', userId: user.id, breakGlass })
        : `Unlocked ${user.id}${breakGlass ? ' (break-glass)' : ''}; failure counters and cooldowns cleared.`,
    );
  },
};
