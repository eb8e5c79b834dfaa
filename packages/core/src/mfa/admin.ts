import type { Mfa } from '../api.js';
import { MfaError } from '../errors.js';
import type { Actor } from '../events.js';
import type { LimitFamily, MfaPolicy } from '../types.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { parsePolicy } from './parse-policy.js';
import { loadPolicy } from './requirement.js';

const MAX_REASON = 500;

/** Families cleared by each cooldown reset. */
export const COOLDOWN_FAMILIES: Record<'verification' | 'sms-setup' | 'all', readonly LimitFamily[]> = {
  verification: ['totp', 'sms', 'recovery', 'password'],
  'sms-setup': ['sms-setup'],
  all: ['totp', 'sms', 'recovery', 'password', 'sms-setup'],
};

function assertActor(actor: Actor): void {
  const kinds = ['admin', 'cli', 'user', 'system'];
  if (
    typeof actor !== 'object' ||
    actor === null ||
    !kinds.includes(actor.kind) ||
    typeof actor.id !== 'string' ||
    actor.id === ''
  ) {
    throw new MfaError('VALIDATION', { message: 'actor must be { kind, id }', fields: { actor: 'invalid' } });
  }
}

function reasonOf(input: { reason?: string } | undefined): { reason?: string } {
  const reason = input?.reason;
  if (reason === undefined) return {};
  if (typeof reason !== 'string' || reason.length > MAX_REASON) {
    throw new MfaError('VALIDATION', {
      message: `reason must be text of at most ${MAX_REASON} characters`,
      fields: { reason: 'invalid' },
    });
  }
  return { reason };
}

/**
 * Admin actions (seeds 000–004). Each records an audit event with the actor.
 * Whether the actor may act on this user (privileges, own organisation, not
 * themselves) is decided by the router before calling these.
 */
export function createAdmin(mfa: MfaContext): Mfa['admin'] {
  const { store } = mfa.backend;
  return {
    async reset(actor, user, input) {
      assertActor(actor);
      assertUser(user);
      const details = reasonOf(input);
      await store.resetFactors(user.id);
      await mfa.events.emit('ADMIN_RESET', details, { user, actor });
      await mfa.options.sessionRevoker?.revokeAll(user.id);
    },
    async lock(actor, user, input) {
      assertActor(actor);
      assertUser(user);
      const details = reasonOf(input);
      const lockId = Buffer.from(mfa.options.random.bytes(16)).toString('hex');
      await store.lock(user.id, { now: mfa.now(), reason: 'admin', lockId, until: null });
      await Promise.all([
        mfa.events.emit('ADMIN_LOCK', details, { user, actor }),
        mfa.events.emit('ACCOUNT_LOCK', { lockId, reason: 'admin', until: null }, { user, actor }),
      ]);
    },
    async unlock(actor, user, input) {
      assertActor(actor);
      assertUser(user);
      const details = reasonOf(input);
      await store.unlock(user.id);
      await mfa.events.emit('ADMIN_UNLOCK', details, { user, actor });
    },
    async resetCooldowns(actor, user, input) {
      assertActor(actor);
      assertUser(user);
      const which = input?.which;
      const families = which === undefined ? undefined : COOLDOWN_FAMILIES[which];
      if (families === undefined) {
        throw new MfaError('VALIDATION', {
          message: "which must be 'verification', 'sms-setup' or 'all'",
          fields: { which: 'invalid' },
        });
      }
      const details = reasonOf(input);
      await store.resetCooldowns(user.id, families);
      await mfa.events.emit(
        'ADMIN_COOLDOWN_RESET',
        { which: which as keyof typeof COOLDOWN_FAMILIES, ...details },
        { user, actor },
      );
    },
    getPolicy(): Promise<MfaPolicy> {
      return loadPolicy(mfa);
    },
    async setPolicy(actor, policy, input) {
      assertActor(actor);
      const after = parsePolicy(policy, 'VALIDATION');
      const details = reasonOf(input);
      const before = await loadPolicy(mfa);
      await mfa.backend.policies.set(after);
      await mfa.events.emit('POLICY_CHANGED', { before, after, ...details }, { actor });
      return after;
    },
  };
}
