import type { Mfa } from '../api.js';
import { MfaError } from '../errors.js';
import type { Actor } from '../events.js';
import type { LimitFamily, MfaPolicy } from '../types.js';
import { afterSessionsEnded } from './after-sessions-ended.js';
import { assertUser } from './assert-user.js';
import type { MfaContext } from './context.js';
import { loadPolicy } from './requirement.js';
import { updatePolicy } from './update-policy.js';

const MAX_REASON = 500;

/** Families cleared by each cooldown reset. */
export const COOLDOWN_FAMILIES: Record<'verification' | 'sms-setup' | 'all', readonly LimitFamily[]> = {
  verification: ['totp', 'sms', 'recovery', 'webauthn', 'password'],
  'sms-setup': ['sms-setup'],
  all: ['totp', 'sms', 'recovery', 'webauthn', 'password', 'sms-setup'],
};

/** Throws VALIDATION unless `actor` is `{ kind, id }` with a known kind and a non-empty id. */
export function assertActor(actor: Actor): void {
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

/**
 * The one place that refuses an admin acting on their own account: an admin
 * who could reset, lock or unlock themselves could undo the lock another admin
 * placed on them, or strip their own MFA (issue: "no self-unlock"). The CLI
 * acts as `kind: 'cli'` and has its own break-glass rule in `unlock`.
 */
function assertNotSelf(actor: Actor, user: { id: string }, message: string): void {
  if (actor.kind === 'admin' && actor.id === user.id) throw new MfaError('FORBIDDEN', { message });
}

/** The optional `reason` of an admin action, validated. */
export function reasonOf(input: { reason?: string } | undefined): { reason?: string } {
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
 * Whether the actor may act on this user (privileges, own organisation) is
 * decided by the router before calling these; acting on oneself is refused
 * here, for every caller.
 *
 * Ordering: the state change and the session-epoch bump are one atomic store
 * operation; the eager session deletion and the audit event come after it and
 * can't undo it (a failed event append is reported, the sessions are already
 * refused by their stale epoch).
 */
export function createAdmin(mfa: MfaContext): Omit<Mfa['admin'], 'clearAddress'> {
  const { store } = mfa.backend;
  return {
    async reset(actor, user, input) {
      assertActor(actor);
      assertUser(user);
      assertNotSelf(
        actor,
        user,
        'You cannot reset your own MFA here. Ask another admin, or use your recovery codes.',
      );
      const details = reasonOf(input);
      await store.resetFactors(user.id);
      await afterSessionsEnded(mfa, user.id, mfa.events.emit('ADMIN_RESET', details, { user, actor }));
    },
    async lock(actor, user, input) {
      assertActor(actor);
      assertUser(user);
      assertNotSelf(actor, user, 'You cannot lock your own account.');
      const details = reasonOf(input);
      const lockId = Buffer.from(mfa.options.random.bytes(16)).toString('hex');
      await store.lock(user.id, { now: mfa.now(), reason: 'admin', lockId, until: null });
      await afterSessionsEnded(
        mfa,
        user.id,
        Promise.all([
          mfa.events.emit('ADMIN_LOCK', details, { user, actor }),
          mfa.events.emit('ACCOUNT_LOCK', { lockId, reason: 'admin', until: null }, { user, actor }),
        ]),
      );
    },
    async unlock(actor, user, input) {
      assertActor(actor);
      assertUser(user);
      assertNotSelf(actor, user, 'You cannot unlock your own account. Ask another admin.');
      const details = reasonOf(input);
      const breakGlass = input?.breakGlass === true;
      if (actor.kind === 'cli' && !breakGlass) {
        // The CLI can't tell who runs it, so it could be the locked admin
        // themselves: lifting a lock an admin placed is its break-glass path.
        const status = await store.getLimiterStatus(user.id, mfa.now());
        if (status.locked && status.lockReason === 'admin')
          throw new MfaError('FORBIDDEN', {
            message: 'An admin placed this lock: lifting it from the CLI needs the break-glass flag.',
          });
      }
      await store.unlock(user.id);
      await mfa.events.emit('ADMIN_UNLOCK', breakGlass ? { ...details, breakGlass } : details, {
        user,
        actor,
      });
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
    async getVersionedPolicy() {
      const { policy, version } = await mfa.backend.policies.getVersioned();
      return { policy: policy ?? mfa.options.policy, version };
    },
    setPolicy(actor, policy, input) {
      assertActor(actor);
      return updatePolicy(mfa, actor, () => policy, reasonOf(input));
    },
    updatePolicy(actor, change, input) {
      assertActor(actor);
      if (typeof change !== 'function')
        throw new MfaError('VALIDATION', { message: 'change must be a function' });
      const expected = input?.expectedVersion;
      if (
        expected !== undefined &&
        (typeof expected !== 'string' || expected === '' || expected.length > 200)
      )
        throw new MfaError('VALIDATION', {
          message: 'expectedVersion must be a version from getVersionedPolicy',
          fields: { expectedVersion: 'invalid' },
        });
      return updatePolicy(mfa, actor, change, reasonOf(input), expected);
    },
  };
}
