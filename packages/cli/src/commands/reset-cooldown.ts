import type { CliCommand } from '../command.js';
import { TARGET_HELP, TARGET_OPTIONS, reasonOf, targetUser } from '../target-user.js';
import { usageError } from '../usage-error.js';

const WHICH = ['verification', 'sms-setup', 'all'] as const;

/** `mfa-kit reset-cooldown <user> [--which …]` (seed 004: reset the 1-hour MFA setup cooldown). */
export const resetCooldownCommand: CliCommand = {
  name: 'reset-cooldown',
  summary: 'Clear a user’s verification and/or SMS setup cooldown',
  help: `Usage: mfa-kit reset-cooldown <user> [--which verification|sms-setup|all] [--reason TEXT]

Clears cooldowns so the user can try again at once: \`verification\` (after
failed codes), \`sms-setup\` (the 1-hour cooldown after failed phone
enrolments) or \`all\` (default). Does not lift a lock (use \`unlock\`).

  --which W        verification | sms-setup | all (default all)
${TARGET_HELP}`,
  options: { ...TARGET_OPTIONS, which: { type: 'string' } },
  confirms: () => false,
  async run(context) {
    const user = targetUser(context);
    const raw = context.values['which'] ?? 'all';
    const which = WHICH.find((w) => w === raw);
    if (which === undefined) throw usageError(`--which must be one of ${WHICH.join(', ')}.`);
    const { mfa } = await context.connect();
    await mfa.admin.resetCooldowns(context.actor, user, { which, ...reasonOf(context) });
    context.io.out(
      context.json
        ? JSON.stringify({ ok: true, action: 'reset-cooldown', userId: user.id, which })
        : `Cleared the ${which === 'all' ? 'verification and SMS setup' : which} cooldown of ${user.id}.`,
    );
  },
};
