import type { MfaEvent } from '../events.js';
import type { SecurityNotice, SecurityNotification, SecurityNotifier } from '../ports/security-notifier.js';
import type { EventListener } from './event-recorder.js';

/** What {@link createSecurityNotifierListener} needs. */
export interface SecurityNotifierListenerOptions {
  notifier: SecurityNotifier;
  /** A recovery-code use that leaves this many or fewer sends `recovery-codes-low`. */
  lowRecoveryCodes: number;
  /** Receives a notifier failure (logged, never thrown into the MFA flow). */
  onError: (error: unknown, notification: SecurityNotification) => void;
}

/**
 * The notice a recorded event deserves, or null. One table, derived from the
 * event log, so every path that changes a user's security (self-service,
 * admin router, CLI) notifies the same way without remembering to.
 * ADMIN_LOCK is skipped: the ACCOUNT_LOCK recorded with it carries the notice.
 */
export function securityNoticeFor(event: MfaEvent, lowRecoveryCodes: number): SecurityNotice | null {
  switch (event.type) {
    case 'ENROLLED':
      return {
        kind: 'factor-added',
        factor: event.details.factor,
        maskedPhone: event.details.maskedPhone ?? null,
      };
    case 'DISABLED':
      return { kind: 'factor-removed', factors: event.details.factors, maskedPhone: null, cause: 'disabled' };
    case 'NOT_MY_NUMBER':
      return {
        kind: 'factor-removed',
        factors: ['sms'],
        maskedPhone: event.details.maskedPhone,
        cause: 'not-my-number',
      };
    case 'WEBAUTHN_CREDENTIAL_ADDED':
      return { kind: 'factor-added', factor: 'webauthn', maskedPhone: null };
    case 'WEBAUTHN_CREDENTIAL_REMOVED':
      return {
        kind: 'factor-removed',
        factors: ['webauthn'],
        maskedPhone: null,
        cause: 'removed',
        name: event.details.name,
      };
    case 'RECOVERY_CODES_REGENERATED':
      return { kind: 'recovery-codes-regenerated', count: event.details.count };
    case 'RECOVERY_CODE_USED':
      return event.details.remaining <= lowRecoveryCodes
        ? { kind: 'recovery-codes-low', remaining: event.details.remaining }
        : null;
    case 'ADMIN_RESET':
      return { kind: 'admin-reset', actor: event.actor };
    case 'ACCOUNT_LOCK':
      return {
        kind: 'account-locked',
        reason: event.details.reason,
        actor: event.actor,
        until: event.details.until,
      };
    case 'COOLDOWN_ACTIVATED': {
      const { family, until } = event.details;
      return family === 'totp' || family === 'sms' || family === 'recovery' || family === 'webauthn'
        ? { kind: 'second-factor-failures', factor: family, cooldownUntil: until }
        : null;
    }
    default:
      return null;
  }
}

/**
 * An event-log listener that sends each notice to the app's notifier. It
 * never throws and never makes the recorder wait: `notify` runs detached and
 * a rejection (or a synchronous throw) goes to `onError`.
 */
export function createSecurityNotifierListener(options: SecurityNotifierListenerOptions): EventListener {
  return (event) => {
    if (event.userId === null) return;
    const notice = securityNoticeFor(event, options.lowRecoveryCodes);
    if (notice === null) return;
    const notification: SecurityNotification = {
      userId: event.userId,
      orgId: event.orgId,
      time: event.time,
      ip: event.ip,
      userAgent: event.userAgent,
      eventId: event.id,
      notice,
    };
    const report = (error: unknown) => {
      try {
        options.onError(error, notification);
      } catch {
        // The error reporter itself failed: nothing more can be done without disturbing the MFA flow.
      }
    };
    try {
      options.notifier.notify(notification).catch(report);
    } catch (error) {
      report(error);
    }
  };
}
