import type { MfaEvent, MfaPolicy, UserMfaStatus } from '@mfa-kit/core';

/** ISO 8601 (UTC) for an epoch-ms time. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Two aligned columns. */
function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** Human-readable status of one user (with the count of live trusted devices). */
export function formatStatus(status: UserMfaStatus, trustedDevices: number): string {
  const factors: string[] = [];
  if (status.totp !== null) factors.push(`authenticator app (since ${formatTime(status.totp.enrolledAt)})`);
  if (status.sms !== null)
    factors.push(`SMS ${status.sms.maskedPhone} (since ${formatTime(status.sms.enrolledAt)})`);
  if (status.webauthn.length > 0) factors.push(`${status.webauthn.length} passkey(s)`);
  const lock = status.limiter;
  const cooldowns = Object.entries(lock.families)
    .filter(([, state]) => state?.cooldownUntil != null)
    .map(([family, state]) => `${family} until ${formatTime(state?.cooldownUntil as number)}`);
  const requirement = status.requirement;
  return table([
    ['User', status.userId],
    ['Enrolled', status.enrolled ? `yes: ${factors.join(', ')}` : 'no'],
    ['Recovery codes', `${status.recoveryCodesRemaining} left`],
    [
      'Passkeys',
      status.webauthn.length === 0
        ? 'none'
        : status.webauthn
            .map(
              (c) =>
                `${c.name} (id ${c.id.slice(0, 12)}…, added ${formatTime(c.createdAt)}, last used ${c.lastUsedAt === null ? 'never' : formatTime(c.lastUsedAt)})`,
            )
            .join('; '),
    ],
    ['Trusted devices', String(trustedDevices)],
    [
      'Locked',
      lock.locked
        ? `YES${lock.lockedUntil === null ? ' (until an admin unlocks)' : ` (until ${formatTime(lock.lockedUntil)})`}${lock.lockReason ? `, reason: ${lock.lockReason}` : ''}`
        : 'no',
    ],
    ['Cooldowns', cooldowns.length === 0 ? 'none' : cooldowns.join('; ')],
    ['Failures', `${lock.consecutiveFailures} consecutive`],
    [
      'MFA',
      requirement.required
        ? `required (${requirement.reason}${requirement.phishingResistant === true ? ', passkey only' : ''})`
        : requirement.available
          ? 'optional'
          : 'not rolled out',
    ],
    ['Session epoch', String(status.epoch)],
  ]);
}

/** One line per event: time, type, user, organisation, actor, details. */
export function formatEvent(event: MfaEvent): string {
  const parts = [formatTime(event.time), event.type.padEnd(26), `user=${event.userId ?? '-'}`];
  if (event.orgId !== null) parts.push(`org=${event.orgId}`);
  if (event.actor !== null) {
    parts.push(
      `actor=${event.actor.kind}:${event.actor.id}${event.actor.osUser ? `(${event.actor.osUser})` : ''}`,
    );
  }
  const details = JSON.stringify(event.details);
  if (details !== '{}') parts.push(details);
  return parts.join('  ');
}

/** Human-readable policy. */
export function formatPolicy(policy: MfaPolicy): string {
  const list = (items: readonly string[]) => (items.length === 0 ? '(none)' : items.join(', '));
  const grace =
    policy.grace === null
      ? 'none (enrolment forced at once)'
      : [
          policy.grace.signIns === undefined ? null : `${policy.grace.signIns} sign-ins`,
          policy.grace.until === undefined ? null : `until ${formatTime(policy.grace.until)}`,
        ]
          .filter((x) => x !== null)
          .join(', ') || 'unbounded';
  return table([
    ['Required roles', list(policy.requiredRoles)],
    ['Required orgs', list(policy.requiredOrgs)],
    ['Rollout', policy.rollout.mode === 'all' ? 'all organisations' : `only: ${list(policy.rollout.orgs)}`],
    ['Grace period', grace],
    ['Self-unlock', policy.allowSelfUnlock ? 'on (emailed unlock links)' : 'off (admins only)'],
  ]);
}
