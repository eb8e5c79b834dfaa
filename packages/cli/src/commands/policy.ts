import type { MfaPolicy } from '@mfa-kit/core';
import type { CliCommand, CliValues } from '../command.js';
import { formatPolicy } from '../format.js';
import { usageError } from '../usage-error.js';

const list = (values: CliValues, name: string): string[] => {
  const raw = values[name];
  return (Array.isArray(raw) ? raw : [])
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter((x) => x !== '');
};

/**
 * Applies `policy set` flags to the current policy. Every flag is an edit
 * (add/remove one role, switch rollout…), so an operator changes one thing
 * without retyping the rest.
 */
export function applyPolicyFlags(current: MfaPolicy, values: CliValues): MfaPolicy {
  const next: MfaPolicy = structuredClone(current);
  const edit = (items: string[], add: string[], remove: string[]) => [
    ...new Set([...items.filter((x) => !remove.includes(x)), ...add]),
  ];
  next.requiredRoles = edit(
    next.requiredRoles,
    list(values, 'require-role'),
    list(values, 'no-require-role'),
  );
  next.requiredOrgs = edit(next.requiredOrgs, list(values, 'require-org'), list(values, 'no-require-org'));
  const rollout = values['rollout'];
  const orgs = list(values, 'org');
  if (rollout === 'all') {
    if (orgs.length > 0) throw usageError('--org lists the rollout organisations; it needs --rollout orgs.');
    next.rollout = { mode: 'all' };
  } else if (rollout === 'orgs') {
    if (orgs.length === 0) throw usageError('--rollout orgs needs at least one --org.');
    next.rollout = { mode: 'orgs', orgs: [...new Set(orgs)] };
  } else if (rollout !== undefined) {
    throw usageError('--rollout must be all or orgs.');
  } else if (orgs.length > 0) {
    throw usageError('--org needs --rollout orgs.');
  }
  const graceSignIns = values['grace-sign-ins'];
  const graceUntil = values['grace-until'];
  if (values['no-grace'] === true) {
    if (graceSignIns !== undefined || graceUntil !== undefined)
      throw usageError('--no-grace conflicts with --grace-*.');
    next.grace = null;
  } else if (graceSignIns !== undefined || graceUntil !== undefined) {
    const grace: NonNullable<MfaPolicy['grace']> = {};
    if (typeof graceSignIns === 'string') {
      const n = Number(graceSignIns);
      if (!/^\d+$/.test(graceSignIns) || n > 1000)
        throw usageError('--grace-sign-ins must be an integer 0-1000.');
      grace.signIns = n;
    }
    if (typeof graceUntil === 'string') {
      const ms = Date.parse(graceUntil);
      if (!Number.isFinite(ms)) throw usageError(`--grace-until: not a date: ${graceUntil}`);
      grace.until = ms;
    }
    next.grace = grace;
  }
  const selfUnlock = values['self-unlock'];
  if (selfUnlock === 'on') next.allowSelfUnlock = true;
  else if (selfUnlock === 'off') next.allowSelfUnlock = false;
  else if (selfUnlock !== undefined) throw usageError('--self-unlock must be on or off.');
  return next;
}

const NOT_SAVED = `No policy saved: the app uses the default from its createMfa({ policy }) options,
which the CLI cannot see. \`policy set --from-builtin ...\` saves one.`;

/** `mfa-kit policy` and `mfa-kit policy set …` (seed 003: take the MFA requirement off a role). */
export const policyCommand: CliCommand = {
  name: 'policy',
  summary: 'Show the MFA policy, or change it with `policy set`',
  help: `Usage: mfa-kit policy [--json]
       mfa-kit policy set [changes] [--reason TEXT] [--yes]

Changes (each edits the current policy; repeat flags or use commas):
  --require-role R      MFA becomes required for role R
  --no-require-role R   MFA is no longer required for role R
  --require-org O       MFA becomes required for everyone in organisation O
  --no-require-org O    ...no longer required for organisation O
  --rollout all         MFA is available in every organisation
  --rollout orgs --org O [--org O2 ...]
                        MFA is available only in these organisations
  --grace-sign-ins N    users who must enrol may sign in N more times without MFA
  --grace-until ISO     ...or until this time
  --no-grace            enrolment is forced at once
  --self-unlock on|off  whether locked users may unlock themselves by email
  --from-builtin        when no policy was ever saved (the app runs on its createMfa
                        default, invisible here): start from mfa-kit's built-in
                        default (nothing required) instead of refusing

Changes apply at each user's next request or sign-in. \`policy set\` shows the
result and asks for confirmation unless --yes.`,
  options: {
    'require-role': { type: 'string', multiple: true },
    'no-require-role': { type: 'string', multiple: true },
    'require-org': { type: 'string', multiple: true },
    'no-require-org': { type: 'string', multiple: true },
    rollout: { type: 'string' },
    org: { type: 'string', multiple: true },
    'grace-sign-ins': { type: 'string' },
    'grace-until': { type: 'string' },
    'no-grace': { type: 'boolean' },
    'self-unlock': { type: 'string' },
    'from-builtin': { type: 'boolean' },
    reason: { type: 'string' },
  },
  confirms: (args) => args[0] === 'set',
  async run(context) {
    const [sub, ...rest] = context.args;
    if (sub === undefined) {
      const session = await context.connect();
      const policy = await session.storedPolicy();
      if (context.json) context.io.out(JSON.stringify(policy, null, 2));
      else context.io.out(policy === null ? NOT_SAVED : formatPolicy(policy));
      return;
    }
    if (sub !== 'set') throw usageError(`Unknown policy subcommand: ${sub} (did you mean \`policy set\`?)`);
    if (rest.length > 0) throw usageError(`Unexpected argument: ${rest[0]}`);
    const changes = Object.keys(context.values).filter(
      (k) => k in policyCommand.options && k !== 'reason' && k !== 'from-builtin',
    );
    if (changes.length === 0)
      throw usageError('`policy set` needs at least one change (see mfa-kit policy --help).');
    const session = await context.connect();
    const { mfa } = session;
    const stored = await session.storedPolicy();
    if (stored === null && context.values['from-builtin'] !== true) {
      throw usageError(
        'No policy has been saved yet, so the app runs on the default in its createMfa options, which the CLI cannot see. ' +
          'Add --from-builtin to start from mfa-kit’s built-in default (no roles or organisations required) and apply your changes to that.',
      );
    }
    const current = stored ?? (await mfa.admin.getPolicy());
    const next = applyPolicyFlags(current, context.values);
    await context.confirm({ yesNo: `New policy:\n${formatPolicy(next)}\nApply it? [y/N] ` });
    const reason = context.values['reason'];
    // Applied again to the policy as stored at the write (compare-and-set): an admin's change made
    // while the operator read the prompt is kept, not overwritten with the policy shown above.
    const saved = await mfa.admin.updatePolicy(
      context.actor,
      (latest) => applyPolicyFlags(latest, context.values),
      typeof reason === 'string' && reason !== '' ? { reason } : {},
    );
    context.io.out(context.json ? JSON.stringify(saved, null, 2) : `Policy saved.\n${formatPolicy(saved)}`);
  },
};
