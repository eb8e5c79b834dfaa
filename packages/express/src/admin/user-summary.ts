import type { Mfa, MfaEvent, MfaUser, Requirement, UserMfaStatus } from '@mfa-kit/core';
import type { AdminUserView } from './user-directory.js';

/** A user's MFA state as the admin screens list it. Times are epoch milliseconds. */
export interface AdminMfaSummary {
  enrolled: boolean;
  factors: Array<'totp' | 'sms'>;
  maskedPhone: string | null;
  recoveryCodesRemaining: number;
  locked: boolean;
  /** End of a temporary lock; null when permanent or not locked. */
  lockedUntil: number | null;
  /** The latest end of any active cooldown; null when none. */
  cooldownUntil: number | null;
  /** Active cooldowns per family (e.g. `sms-setup` for the 1-hour setup cooldown). */
  cooldowns: Record<string, number>;
  consecutiveFailures: number;
  requirement: Requirement;
  lastEvent: { type: MfaEvent['type']; time: number } | null;
}

/** One row of `GET /users`. */
export interface AdminUserRow {
  id: string;
  name: string;
  email: string;
  orgId: string | null;
  roles: readonly string[];
  mfa: AdminMfaSummary;
}

/** Condenses core's status into the admin summary. */
export function summarizeStatus(status: UserMfaStatus, lastEvent: MfaEvent | null): AdminMfaSummary {
  const factors: Array<'totp' | 'sms'> = [];
  if (status.totp !== null) factors.push('totp');
  if (status.sms !== null) factors.push('sms');
  const cooldowns: Record<string, number> = {};
  let cooldownUntil: number | null = null;
  for (const [family, state] of Object.entries(status.limiter.families)) {
    if (state?.cooldownUntil == null) continue;
    cooldowns[family] = state.cooldownUntil;
    cooldownUntil = Math.max(cooldownUntil ?? 0, state.cooldownUntil);
  }
  return {
    enrolled: status.enrolled,
    factors,
    maskedPhone: status.sms?.maskedPhone ?? null,
    recoveryCodesRemaining: status.recoveryCodesRemaining,
    locked: status.limiter.locked,
    lockedUntil: status.limiter.lockedUntil,
    cooldownUntil,
    cooldowns,
    consecutiveFailures: status.limiter.consecutiveFailures,
    requirement: status.requirement,
    lastEvent: lastEvent === null ? null : { type: lastEvent.type, time: lastEvent.time },
  };
}

/** Reads status and the latest event of one user (two independent reads, run together). */
export async function loadSummary(mfa: Mfa, user: MfaUser): Promise<AdminMfaSummary> {
  const [status, page] = await Promise.all([
    mfa.status(user),
    mfa.events.query({ userId: user.id, limit: 1 }),
  ]);
  return summarizeStatus(status, page.events[0] ?? null);
}

/** The row for a directory entry. */
export function toRow(view: AdminUserView, mfa: AdminMfaSummary): AdminUserRow {
  return {
    id: view.id,
    name: view.name,
    email: view.email,
    orgId: view.orgId ?? null,
    roles: view.roles,
    mfa,
  };
}
