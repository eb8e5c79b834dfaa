import type { Actor, FactorType, LimitFamily, MfaEvent, MfaPolicy } from '@mfa-kit/core';

/** What {@link describeEvent} may know besides the event. */
export interface DescribeEventContext {
  /** The display name of a user id (e.g. from the app's directory); null when unknown. */
  nameOf?: (userId: string) => string | null;
  /** Consecutive failures that lock an account (`mfa.options.limits.lock.maxConsecutiveFailures`). */
  failuresBeforeLock?: number;
}

const FACTOR: Record<FactorType, string> = {
  totp: 'authenticator app',
  sms: 'text message',
  recovery: 'recovery code',
  webauthn: 'passkey or security key',
};

const FAMILY_CODES: Record<LimitFamily, string> = {
  totp: 'authenticator codes',
  sms: 'text-message codes',
  recovery: 'recovery codes',
  webauthn: 'passkeys',
  password: 'passwords',
  'sms-setup': 'phone set-up codes',
};

function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function provider(name: string): string {
  return name === '' ? 'the SMS provider' : name.charAt(0).toUpperCase() + name.slice(1);
}

function actorText(actor: Actor | null, nameOf: (id: string) => string | null): string {
  if (actor === null) return 'the system';
  switch (actor.kind) {
    case 'admin':
      return `admin ${nameOf(actor.id) ?? actor.id}`;
    case 'cli':
      return `the CLI${actor.osUser ? ` (run by ${actor.osUser})` : ''}`;
    case 'user':
      return 'the user';
    default:
      return 'the system';
  }
}

function withReason(text: string, reason: string | undefined): string {
  return reason ? `${text} (reason: ${reason})` : text;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

function policyChanges(before: MfaPolicy, after: MfaPolicy): string {
  const changes: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(before.requiredRoles, after.requiredRoles))
    changes.push(`roles that must use MFA ${list(before.requiredRoles)} → ${list(after.requiredRoles)}`);
  if (!same(before.requiredOrgs, after.requiredOrgs))
    changes.push(
      `organisations that must use MFA ${list(before.requiredOrgs)} → ${list(after.requiredOrgs)}`,
    );
  if (!same(before.rollout, after.rollout)) {
    const rollout = (p: MfaPolicy) =>
      p.rollout.mode === 'all' ? 'every organisation' : list(p.rollout.orgs);
    changes.push(`rollout ${rollout(before)} → ${rollout(after)}`);
  }
  if (!same(before.grace, after.grace)) changes.push('grace period changed');
  if (before.allowSelfUnlock !== after.allowSelfUnlock)
    changes.push(`self-unlock by e-mail ${after.allowSelfUnlock ? 'allowed' : 'not allowed'}`);
  return changes.length === 0 ? 'no change' : changes.join('; ');
}

/**
 * The event as one sentence an admin reads in the MFA error log and its CSV
 * export, e.g. "Locked after 10 failed sign-in codes (last: authenticator
 * codes)", "Locked by admin Owen Owner", "Provider failure: Twilio 500".
 * Built only from the event's own fields (never a code, secret or full
 * number: events hold none), plus display names the caller resolves.
 */
export function describeEvent(event: MfaEvent, context: DescribeEventContext = {}): string {
  const nameOf = context.nameOf ?? (() => null);
  const by = actorText(event.actor, nameOf);
  switch (event.type) {
    case 'ACCOUNT_LOCK': {
      const { reason, until, family } = event.details;
      const end = until === null ? 'until an admin unlocks it' : `until ${clock(until)}`;
      if (reason === 'admin') return `Locked by ${by}`;
      if (reason === 'not-my-number')
        return `Locked ${end}: the user said the text-message number is not theirs, and it was their only factor`;
      const count = context.failuresBeforeLock === undefined ? 'repeated' : `${context.failuresBeforeLock}`;
      return `Locked ${end} after ${count} failed sign-in attempts${family ? ` (last: ${FAMILY_CODES[family]})` : ''}`;
    }
    case 'COOLDOWN_ACTIVATED': {
      const { family, until } = event.details;
      return family === 'sms-setup'
        ? `Phone set-up cooldown until ${clock(until)} after repeated failed phone set-ups`
        : `Cooldown until ${clock(until)} after too many failed ${FAMILY_CODES[family]}`;
    }
    case 'PROVIDER_FAILURE':
    case 'SMS_FAILURE': {
      const d = event.details;
      const head = event.type === 'PROVIDER_FAILURE' ? 'Provider failure' : 'SMS failure';
      const code = d.providerCode === null ? '' : ` ${d.providerCode}`;
      const to = d.maskedPhone ? ` sending to ${d.maskedPhone}` : '';
      return `${head}: ${provider(d.provider)}${code}${to}. ${d.message}`;
    }
    case 'NOT_MY_NUMBER':
      return `The user said ${event.details.maskedPhone} is not their number; no more codes are sent there`;
    case 'SESSION_EXPIRED':
      return event.details.stage === 'challenge'
        ? 'Sign-in expired before the second step was completed'
        : 'Sign-in expired before MFA set-up was completed';
    case 'VERIFICATION_FAILED': {
      const { factor, reason } = event.details;
      const what = FACTOR[factor];
      const label = what.charAt(0).toUpperCase() + what.slice(1);
      switch (reason) {
        case 'replay':
          return `${label} code refused: already used`;
        case 'expired':
          return `${label} code refused: expired`;
        case 'missing':
          return `${label} code refused: none was sent, or it was used`;
        case 'malformed':
          return `${label} code refused: malformed`;
        case 'counter':
          return `${label} refused: its signature counter went back (possible cloned authenticator)`;
        default:
          return `Wrong ${what} code`;
      }
    }
    case 'VERIFICATION_SUCCEEDED':
      return `Second step completed with the ${FACTOR[event.details.factor]}`;
    case 'PASSWORD_FAILED':
      return 'Wrong password';
    case 'RECOVERY_CODE_USED':
      return `Recovery code used; ${event.details.remaining} left`;
    case 'RECOVERY_CODES_REGENERATED':
      return `New set of ${event.details.count} recovery codes; the old ones stopped working`;
    case 'ENROLLED':
      if (event.details.imported === true)
        return 'Authenticator app secret imported from the previous sign-in system';
      return event.details.factor === 'totp'
        ? 'Set up the authenticator app'
        : `Set up text messages to ${event.details.maskedPhone ?? 'a phone'}`;
    case 'DISABLED':
      return `Turned MFA off (removed: ${event.details.factors.map((f) => FACTOR[f]).join(', ')})`;
    case 'ENROLMENT_DECLINED':
      return 'Declined MFA set-up for now';
    case 'SMS_SENT':
      return `${event.details.purpose === 'setup' ? 'Set-up' : 'Sign-in'} code texted to ${event.details.maskedPhone}`;
    case 'UNLOCK_REQUESTED':
      return 'Asked for unlock instructions by e-mail';
    case 'SELF_UNLOCKED':
      return 'Unlocked with the e-mailed link';
    case 'ADMIN_RESET':
      return withReason(`MFA reset by ${by}`, event.details.reason);
    case 'ADMIN_LOCK':
      return withReason(`Account locked by ${by}`, event.details.reason);
    case 'ADMIN_UNLOCK':
      return withReason(`Unlocked by ${by}; failure counters cleared`, event.details.reason);
    case 'ADMIN_COOLDOWN_RESET': {
      const which = {
        all: 'All cooldowns',
        verification: 'Verification cooldown',
        'sms-setup': 'Phone set-up cooldown',
      };
      return withReason(`${which[event.details.which]} cleared by ${by}`, event.details.reason);
    }
    case 'POLICY_CHANGED':
      return withReason(
        `MFA policy changed by ${by}: ${policyChanges(event.details.before, event.details.after)}`,
        event.details.reason,
      );
    case 'ROLE_CHANGED':
      return withReason(
        `Roles changed by ${by}: ${list(event.details.before)} → ${list(event.details.after)}`,
        event.details.reason,
      );
    case 'STORE_RESET_ACKNOWLEDGED':
      return `Store reset acknowledged by ${by}: factors, locks and policy were lost; service resumed`;
    case 'TRUSTED_DEVICE_ADDED':
      return `Trusted a device (${event.details.label}; proved with: ${FACTOR[event.details.factor]})`;
    case 'TRUSTED_DEVICE_USED':
      return `Signed in on a trusted device without a new second factor (proved with: ${FACTOR[event.details.factor]})`;
    case 'TRUSTED_DEVICE_REFUSED': {
      const why = {
        unknown: 'not a device this user trusted',
        expired: 'its trust expired',
        epoch: 'MFA was reset, the account locked or the user signed out everywhere since',
        policy: "the policy no longer allows trusted devices for the user's role",
        factor: 'the policy now requires a stronger factor than the one it proved',
      };
      return `Trusted-device token refused (${why[event.details.reason]}); asked for a second factor`;
    }
    case 'TRUSTED_DEVICE_REVOKED':
      return withReason(`Trusted device revoked by ${by}`, event.details.reason);
    case 'WEBAUTHN_CREDENTIAL_ADDED':
      return `Passkey or security key "${event.details.name}" registered`;
    case 'WEBAUTHN_CREDENTIAL_REMOVED':
      return `Passkey or security key "${event.details.name}" removed by ${by}`;
    case 'WEBAUTHN_COUNTER_REGRESSION':
      return `Passkey refused: signature counter ${event.details.presentedCounter} is not above ${event.details.storedCounter} (possible cloned authenticator)`;
    default:
      return '';
  }
}

/**
 * Display names for the users and actors of `events`, looked up once per id
 * (`findName` is typically the directory's `findById`). Unknown ids map to null.
 */
export async function resolveEventNames(
  events: readonly MfaEvent[],
  findName: (userId: string) => Promise<string | null>,
): Promise<(userId: string) => string | null> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.userId !== null) ids.add(event.userId);
    if (event.actor !== null && event.actor.kind === 'admin') ids.add(event.actor.id);
  }
  const names = new Map<string, string | null>();
  await Promise.all(
    [...ids].map(async (id) => {
      names.set(id, await findName(id).catch(() => null));
    }),
  );
  return (id) => names.get(id) ?? null;
}
