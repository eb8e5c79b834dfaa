import type { UnlockDelivery } from '@mfa-kit/core';
import type { DevInbox } from './dev-inbox.js';
import type { UserDirectory } from '../users.js';

/**
 * The example's "mailer" for unlock links (seed 002: "check your email for
 * unlock instructions"): writes the e-mail to the dev inbox and the terminal.
 */
export function createInboxUnlockDelivery(
  inbox: DevInbox,
  users: UserDirectory,
  log: (line: string) => void = console.log,
  development = true,
): UnlockDelivery {
  return {
    async deliver({ userId, token, expiresAt }) {
      const user = users.findById(userId);
      if (user === null) return;
      const link = `/unlock/redeem?token=${encodeURIComponent(token)}`;
      inbox.add({
        kind: 'email',
        to: user.email,
        subject: 'Unlock your account',
        body: `Someone (hopefully you) asked to unlock your account. Follow the link before ${new Date(expiresAt).toISOString()} to unlock it. The link works once.`,
        link,
      });
      // An unlock link is a bearer credential: printed only in development.
      log(`[email to ${user.email}] unlock link: ${development ? link : '(not shown outside development)'}`);
    },
  };
}
