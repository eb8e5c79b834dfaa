import type { Mfa } from '../api.js';
import { MfaError } from '../errors.js';
import { afterSessionsEnded } from './after-sessions-ended.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';

const REASONS = new Set(['sign-out-everywhere', 'password-changed', 'admin']);

/** `mfa.sessions`: the per-user session generation that every session load is checked against. */
export function createSessions(mfa: MfaContext): Mfa['sessions'] {
  const { store } = mfa.backend;
  return {
    epoch(userId) {
      if (typeof userId !== 'string' || userId === '')
        throw new MfaError('VALIDATION', { message: 'userId must be a non-empty string' });
      return store.getEpoch(userId);
    },
    async revokeAll(user, input, ctx) {
      assertUser(user);
      if (!REASONS.has(input?.reason))
        throw new MfaError('VALIDATION', {
          message: "reason must be 'sign-out-everywhere', 'password-changed' or 'admin'",
          fields: { reason: 'invalid' },
        });
      const epoch = await store.bumpEpoch(user.id);
      const actor = input.actor ?? { kind: 'user' as const, id: user.id };
      await afterSessionsEnded(
        mfa,
        user.id,
        mfa.events.emit('SESSIONS_REVOKED', { reason: input.reason }, { user, actor, ctx }),
      );
      return epoch;
    },
  };
}
