import type { Reservation } from '../ports/counter-store.js';
import type { MfaUser, RequestContext } from '../types.js';
import type { MfaContext } from './context.js';

/** A slot of an address's second-factor budget, held while one evaluation runs. */
export interface AddressSlot {
  key: string;
  reservation: Reservation;
}

/** Counter key of an address's second-factor budget, or null when the request has none (exempt). */
export function addressBudgetKey(mfa: MfaContext, ctx: RequestContext | undefined): string | null {
  const key = mfa.options.limits.addressBudget.key(ctx ?? {});
  return typeof key === 'string' && key !== '' ? `addr:${key}` : null;
}

/**
 * Reserves one slot of the address's sliding-window budget before a
 * second-factor evaluation (charge first): N parallel wrong codes from one
 * address can never evaluate more than the budget. Null when the request is
 * exempt (no address, or the app's key function said so).
 */
export async function reserveAddressSlot(
  mfa: MfaContext,
  ctx: RequestContext | undefined,
  now: number,
): Promise<AddressSlot | null> {
  const key = addressBudgetKey(mfa, ctx);
  if (key === null) return null;
  const { maxFailures, windowMs } = mfa.options.limits.addressBudget;
  return { key, reservation: await mfa.backend.counters.reserve(key, { limit: maxFailures, windowMs }, now) };
}

/**
 * Settles a slot after the evaluation: a failure that was evaluated keeps it
 * (and, when it filled the budget, records IP_BLOCKED); anything else (a
 * success, a refusal that evaluated nothing) gives it back (refund on success).
 */
export async function settleAddressSlot(
  mfa: MfaContext,
  slot: AddressSlot | null,
  evaluatedFailure: boolean,
  subject: { user: MfaUser; ctx: RequestContext },
): Promise<void> {
  const id = slot?.reservation.id;
  if (slot === null || id == null) return;
  if (!evaluatedFailure) {
    await mfa.backend.counters.release(slot.key, id);
    return;
  }
  const { maxFailures, windowMs } = mfa.options.limits.addressBudget;
  if (slot.reservation.count >= maxFailures) {
    await mfa.events.emit(
      'IP_BLOCKED',
      { address: slot.key.slice('addr:'.length), limit: maxFailures, windowMs },
      subject,
    );
  }
}
