import type { SecurityNotice, SecurityNotifier } from '@mfa-kit/core';
import type { UserDirectory } from '../users.js';
import type { DevInbox } from './dev-inbox.js';

const FACTOR = {
  totp: 'an authenticator app',
  sms: 'text messages',
  recovery: 'recovery codes',
  webauthn: 'passkeys and security keys',
} as const;
const CODES = {
  totp: 'authenticator-app',
  sms: 'text-message',
  recovery: 'recovery',
  webauthn: 'passkey',
} as const;

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Subject and body of the e-mail for one notice. Only what the notice holds: no code, secret or full number. */
export function securityEmail(
  notice: SecurityNotice,
  nameOf: (id: string) => string,
): { subject: string; body: string } {
  const notYou = 'If this was not you, contact your administrator at once.';
  switch (notice.kind) {
    case 'factor-added':
      return {
        subject: 'A sign-in method was added to your account',
        body: `${notice.factor === 'sms' ? `Text messages to ${notice.maskedPhone ?? 'a phone'}` : notice.factor === 'webauthn' ? 'A new passkey or security key' : 'An authenticator app'} can now be used to sign in to your account. ${notYou}`,
      };
    case 'factor-removed':
      if (notice.cause === 'removed')
        return {
          subject: 'A passkey was removed from your account',
          body: `The passkey or security key "${notice.name ?? ''}" can no longer be used to sign in, and your other sessions were signed out. ${notYou}`,
        };
      return notice.cause === 'not-my-number'
        ? {
            subject: 'We stopped sending codes to a phone number',
            body: `You told us ${notice.maskedPhone ?? 'a number'} is not your phone number, so we will not send codes there any more. Ask your administrator to update it.`,
          }
        : {
            subject: 'Multi-factor authentication was turned off',
            body: `These sign-in methods were removed from your account: ${notice.factors.map((f) => FACTOR[f]).join(', ')}. ${notYou}`,
          };
    case 'recovery-codes-regenerated':
      return {
        subject: 'New recovery codes were created',
        body: `A new set of ${notice.count} recovery codes was created for your account; the old codes no longer work. ${notYou}`,
      };
    case 'recovery-codes-low':
      return {
        subject: `Only ${notice.remaining} recovery codes left`,
        body: `You have ${notice.remaining} unused recovery codes. Create a new set in Security settings before you run out.`,
      };
    case 'admin-reset':
      return {
        subject: 'Your multi-factor authentication was reset',
        body: `${notice.actor ? `${nameOf(notice.actor.id)} (an administrator)` : 'An administrator'} removed every sign-in method from your account and signed you out everywhere. You will set up MFA again at your next sign-in. ${notYou}`,
      };
    case 'account-locked':
      return {
        subject: 'Your account is locked',
        body:
          notice.reason === 'admin'
            ? `${notice.actor ? nameOf(notice.actor.id) : 'An administrator'} locked your account. Contact your administrator to unlock it.`
            : notice.reason === 'not-my-number'
              ? 'Your account is locked because text messages to a number that is not yours were your only way to sign in. Contact your administrator.'
              : `Your account is locked after repeated failed sign-in attempts${notice.until === null ? '' : ` until ${when(notice.until)}`}. If these were not you, someone may know your password: change it once you are back in.`,
      };
    case 'second-factor-failures':
      return {
        subject: 'Someone may know your password',
        body: `Your password was entered correctly, but the ${CODES[notice.factor]} codes that followed were wrong several times, so sign-in is paused until ${when(notice.cooldownUntil)}. If this was not you, change your password.`,
      };
  }
}

/**
 * The example's "mailer" for mfa-kit's security notifications (ASVS V6.3.5,
 * V6.3.7): writes each e-mail to the dev inbox, and one line to the terminal
 * (only the subject: never a code, a secret or a full phone number).
 */
export function createInboxSecurityNotifier(
  inbox: DevInbox,
  users: UserDirectory,
  log: (line: string) => void,
): SecurityNotifier {
  const nameOf = (id: string) => users.findById(id)?.name ?? 'An administrator';
  return {
    async notify({ userId, notice }) {
      const user = users.findById(userId);
      if (user === null) return;
      const { subject, body } = securityEmail(notice, nameOf);
      inbox.add({ kind: 'email', to: user.email, subject, body, link: null });
      log(`[email to ${user.email}] ${subject}`);
    },
  };
}
