import { MfaError } from '../errors.js';
import type { Actor } from '../events.js';
import type { MfaPolicy } from '../types.js';
import type { MfaContext } from './context.js';
import { parsePolicy } from './parse-policy.js';

/** Writes lost to other writers before an edit gives up with CONFLICT. */
const MAX_TRIES = 10;

/**
 * The one way core changes the policy: read it with its version, compute the
 * new one from it, write only if the version is unchanged (compare-and-set),
 * else compute again from the newer policy. An edit derived from a policy
 * (an organisation admin toggling their organisation, the CLI applying a
 * flag) therefore never silently undoes a concurrent edit, and
 * POLICY_CHANGED names the policy each write really replaced. With
 * `expectedVersion` the edit applies only to that version (CONFLICT at once
 * otherwise): a whole policy written from a view read earlier (an admin's
 * form) must not undo a change made after that read.
 */
export async function updatePolicy(
  mfa: MfaContext,
  actor: Actor,
  change: (current: MfaPolicy) => MfaPolicy,
  details: { reason?: string },
  expectedVersion?: string,
): Promise<MfaPolicy> {
  const policies = mfa.backend.policies;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const { policy, version } = await policies.getVersioned();
    if (expectedVersion !== undefined && version !== expectedVersion) {
      throw new MfaError('CONFLICT', {
        message: 'The policy was changed since it was read. Reload it and make the change again.',
      });
    }
    const before = policy ?? mfa.options.policy;
    const after = parsePolicy(change(structuredClone(before)), 'VALIDATION');
    if (await policies.compareAndSet(version, after)) {
      await mfa.events.emit('POLICY_CHANGED', { before, after, ...details }, { actor });
      return after;
    }
  }
  throw new MfaError('CONFLICT', {
    message: `The policy kept changing while it was being saved (${MAX_TRIES} tries). Reload and try again.`,
  });
}
