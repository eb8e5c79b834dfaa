import { MfaError } from '../errors.js';
import type { Actor } from '../events.js';
import { addressBudgetKey } from './address-budget.js';
import { assertActor, reasonOf } from './admin.js';
import type { MfaContext } from './context.js';

const MAX_ADDRESS_LENGTH = 100;

/**
 * Admin action: gives an address its whole second-factor budget back (e.g. an
 * office NAT whose users were refused after a burst of typos). The address
 * goes through the same key derivation as the budget (IPv6 by prefix, or the
 * app's key function), so clearing `2001:db8::1` clears its whole /64.
 */
export async function clearAddress(
  mfa: MfaContext,
  actor: Actor,
  address: string,
  input?: { reason?: string },
): Promise<{ address: string }> {
  assertActor(actor);
  if (typeof address !== 'string' || address.trim() === '' || address.length > MAX_ADDRESS_LENGTH) {
    throw new MfaError('VALIDATION', {
      message: `address must be an IP address (at most ${MAX_ADDRESS_LENGTH} characters)`,
      fields: { address: 'invalid' },
    });
  }
  const details = reasonOf(input);
  const key = addressBudgetKey(mfa, { ip: address.trim() });
  if (key === null) {
    throw new MfaError('VALIDATION', {
      message: 'address has no budget (the key function exempts it)',
      fields: { address: 'invalid' },
    });
  }
  await mfa.backend.counters.reset(key);
  const cleared = key.slice('addr:'.length);
  await mfa.events.emit('ADMIN_ADDRESS_CLEARED', { address: cleared, ...details }, { actor });
  return { address: cleared };
}
