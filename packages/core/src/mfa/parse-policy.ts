import { type ErrorCode, MfaError } from '../errors.js';
import type { MfaPolicy } from '../types.js';
import { isOrgId } from './org-id.js';

const MAX_LIST = 10_000;
const MAX_NAME = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isRoleName = (item: unknown): item is string =>
  typeof item === 'string' && item.length > 0 && item.length <= MAX_NAME;

/**
 * A list of role names or organisation ids. One bad item refuses the whole
 * list (never dropped: a numeric org id silently left out of `requiredOrgs`
 * would exempt that organisation).
 */
function names(
  value: unknown,
  path: string,
  fields: Record<string, string>,
  isItem: (item: unknown) => item is string,
): string[] {
  if (!Array.isArray(value) || value.length > MAX_LIST) {
    fields[path] = `must be an array of at most ${MAX_LIST} names`;
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    if (!isItem(item)) {
      fields[path] = `must contain non-empty strings of at most ${MAX_NAME} characters`;
      return [];
    }
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

function optionalCount(value: unknown, path: string, fields: Record<string, string>): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fields[path] = 'must be a non-negative integer';
    return undefined;
  }
  return value;
}

/**
 * Validates a policy document (from an admin, the CLI or the options) and
 * returns a fresh copy with only known fields, so a stored policy never
 * carries stray data. Throws `MfaError(code)` with per-field messages.
 */
export function parsePolicy(
  value: unknown,
  code: Extract<ErrorCode, 'VALIDATION' | 'CONFIGURATION'>,
): MfaPolicy {
  const fields: Record<string, string> = {};
  if (!isRecord(value)) {
    throw new MfaError(code, {
      message: 'The policy must be an object',
      fields: { policy: 'must be an object' },
    });
  }
  const requiredRoles = names(value['requiredRoles'], 'requiredRoles', fields, isRoleName);
  const requiredOrgs = names(value['requiredOrgs'], 'requiredOrgs', fields, isOrgId);
  // Optional (absent in policies stored before WebAuthn): absent or null → none.
  const phishingResistantRoles = names(
    value['phishingResistantRoles'] ?? [],
    'phishingResistantRoles',
    fields,
    isRoleName,
  );
  const phishingResistantOrgs = names(
    value['phishingResistantOrgs'] ?? [],
    'phishingResistantOrgs',
    fields,
    isOrgId,
  );

  let rollout: MfaPolicy['rollout'] = { mode: 'all' };
  const rawRollout = value['rollout'];
  if (isRecord(rawRollout) && rawRollout['mode'] === 'all') {
    rollout = { mode: 'all' };
  } else if (isRecord(rawRollout) && rawRollout['mode'] === 'orgs') {
    rollout = { mode: 'orgs', orgs: names(rawRollout['orgs'], 'rollout.orgs', fields, isOrgId) };
  } else {
    fields['rollout'] = "must be { mode: 'all' } or { mode: 'orgs', orgs: [...] }";
  }

  let grace: MfaPolicy['grace'] = null;
  const rawGrace = value['grace'];
  if (isRecord(rawGrace)) {
    const signIns = optionalCount(rawGrace['signIns'], 'grace.signIns', fields);
    const until = optionalCount(rawGrace['until'], 'grace.until', fields);
    if (signIns === undefined && until === undefined && fields['grace.signIns'] === undefined) {
      if (fields['grace.until'] === undefined) fields['grace'] = 'needs signIns and/or until, or null';
    }
    grace = {};
    if (signIns !== undefined) grace.signIns = signIns;
    if (until !== undefined) grace.until = until;
  } else if (rawGrace !== null && rawGrace !== undefined) {
    fields['grace'] = 'must be null or { signIns?, until? }';
  }

  let trustedDevices: NonNullable<MfaPolicy['trustedDevices']> = { forbiddenRoles: [] };
  const rawTrusted = value['trustedDevices'];
  if (isRecord(rawTrusted)) {
    trustedDevices = {
      forbiddenRoles: names(
        rawTrusted['forbiddenRoles'] ?? [],
        'trustedDevices.forbiddenRoles',
        fields,
        isRoleName,
      ),
    };
  } else if (rawTrusted !== undefined && rawTrusted !== null) {
    fields['trustedDevices'] = 'must be { forbiddenRoles: [...] }';
  }

  const allowSelfUnlock = value['allowSelfUnlock'];
  if (typeof allowSelfUnlock !== 'boolean') fields['allowSelfUnlock'] = 'must be a boolean';

  if (Object.keys(fields).length > 0) {
    const list = Object.entries(fields)
      .map(([path, message]) => `${path} ${message}`)
      .join('; ');
    throw new MfaError(code, { message: `Invalid MFA policy: ${list}`, fields });
  }
  return {
    requiredRoles,
    requiredOrgs,
    rollout,
    grace,
    allowSelfUnlock: allowSelfUnlock === true,
    trustedDevices,
    phishingResistantRoles,
    phishingResistantOrgs,
  };
}
