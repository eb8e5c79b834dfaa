import { MfaError, type MfaPolicy } from '@mfa-kit/core';
import type { AdminContext } from './context.js';
import { isInstanceWide } from './org-scope.js';

/** The policy as the caller may see it: an organisation admin sees only their own organisation in the org lists. */
export function viewPolicy(context: AdminContext, policy: MfaPolicy): MfaPolicy {
  if (isInstanceWide(context)) return policy;
  const own = (orgs: readonly string[]) => orgs.filter((o) => o === context.scope.orgId);
  return {
    ...policy,
    requiredOrgs: own(policy.requiredOrgs),
    ...(policy.phishingResistantOrgs === undefined
      ? {}
      : { phishingResistantOrgs: own(policy.phishingResistantOrgs) }),
    rollout:
      policy.rollout.mode === 'all' ? policy.rollout : { mode: 'orgs', orgs: own(policy.rollout.orgs) },
  };
}

/**
 * Merges an organisation admin's edit into the current policy. They may only
 * switch their own organisation in or out of `requiredOrgs`,
 * `phishingResistantOrgs` and (in `orgs` rollout mode) `rollout.orgs`; any other difference from the current policy
 * is refused with FORBIDDEN rather than silently dropped, so the admin knows
 * the change did not happen.
 */
export function mergeScopedPolicy(context: AdminContext, current: MfaPolicy, wanted: MfaPolicy): MfaPolicy {
  if (isInstanceWide(context)) return wanted;
  const org = context.scope.orgId as string;
  const forbid = (field: string): never => {
    throw new MfaError('FORBIDDEN', {
      message: `Only an admin for every organisation can change ${field}.`,
      fields: { [field]: 'Outside your organisation.' },
    });
  };
  if (!sameSet(current.requiredRoles, wanted.requiredRoles)) forbid('requiredRoles');
  if (!sameGrace(current.grace, wanted.grace)) forbid('grace');
  if (current.allowSelfUnlock !== wanted.allowSelfUnlock) forbid('allowSelfUnlock');
  if (!sameSet(current.trustedDevices?.forbiddenRoles ?? [], wanted.trustedDevices?.forbiddenRoles ?? []))
    forbid('trustedDevices.forbiddenRoles');
  if (!sameSet(current.phishingResistantRoles ?? [], wanted.phishingResistantRoles ?? []))
    forbid('phishingResistantRoles');
  if (current.rollout.mode !== wanted.rollout.mode) forbid('rollout.mode');
  for (const o of wanted.requiredOrgs) if (o !== org) forbid('requiredOrgs');
  for (const o of wanted.phishingResistantOrgs ?? []) if (o !== org) forbid('phishingResistantOrgs');
  const toggle = (list: readonly string[], on: boolean) => [
    ...list.filter((o) => o !== org),
    ...(on ? [org] : []),
  ];
  const next: MfaPolicy = {
    ...current,
    requiredOrgs: toggle(current.requiredOrgs, wanted.requiredOrgs.includes(org)),
    phishingResistantOrgs: toggle(
      current.phishingResistantOrgs ?? [],
      (wanted.phishingResistantOrgs ?? []).includes(org),
    ),
  };
  if (current.rollout.mode === 'orgs' && wanted.rollout.mode === 'orgs') {
    for (const o of wanted.rollout.orgs) if (o !== org) forbid('rollout.orgs');
    next.rollout = { mode: 'orgs', orgs: toggle(current.rollout.orgs, wanted.rollout.orgs.includes(org)) };
  }
  return next;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function sameGrace(a: MfaPolicy['grace'], b: MfaPolicy['grace']): boolean {
  if (a === null || b === null) return a === b;
  return (a.signIns ?? null) === (b.signIns ?? null) && (a.until ?? null) === (b.until ?? null);
}
