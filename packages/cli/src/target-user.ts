import { type Mfa, MfaError, type MfaUser } from '@mfa-kit/core';
import type { CliOptions, CommandContext } from './command.js';
import { usageError } from './usage-error.js';

/** Options of commands that act on one user: the CLI has no user directory, so org and roles may be given. */
export const TARGET_OPTIONS: CliOptions = {
  org: { type: 'string' },
  role: { type: 'string', multiple: true },
  reason: { type: 'string' },
  force: { type: 'boolean' },
};

/** Help lines for {@link TARGET_OPTIONS}. */
export const TARGET_HELP = `  --org ORG        the user's organisation (recorded in the audit event; used for the policy check)
  --role ROLE      one of the user's roles (repeatable; used for the policy check)
  --reason TEXT    why (recorded in the audit event)
  --force          act even when mfa-kit has no record of the user (a typo otherwise
                   gets "no such MFA user" and changes nothing)`;

/** The single `<user>` argument as a core user. */
export function targetUser(context: CommandContext): MfaUser {
  if (context.args.length !== 1) {
    throw usageError(
      context.args.length === 0 ? 'Missing <user> (the app’s user id).' : 'Give exactly one <user>.',
    );
  }
  const id = context.args[0] as string;
  if (id.length > 200) throw usageError('A user id has at most 200 characters.');
  const org = context.values['org'];
  const roles = context.values['role'];
  return {
    id,
    orgId: typeof org === 'string' ? org : undefined,
    roles: Array.isArray(roles) ? roles.map(String) : undefined,
  };
}

/** `{ reason }` when `--reason` was given. */
export function reasonOf(context: CommandContext): { reason?: string } {
  const reason = context.values['reason'];
  return typeof reason === 'string' && reason.trim() !== '' ? { reason: reason.trim().slice(0, 500) } : {};
}

/**
 * Refuses (exit 1, nothing changed, nothing recorded) a user id mfa-kit has no
 * record of, unless `--force`: a mistyped id must not print a success line
 * and leave an audit event about a user that doesn't exist.
 */
export async function assertKnownUser(context: CommandContext, mfa: Mfa, user: MfaUser): Promise<void> {
  if (context.values['force'] === true) return;
  if ((await mfa.status(user)).known) return;
  throw new MfaError('NOT_FOUND', {
    message: `No such MFA user: "${user.id}" has no mfa-kit record. Check the id, or pass --force if you mean it.`,
  });
}
