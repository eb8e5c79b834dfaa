import type { Reservation } from '../ports/counter-store.js';
import type { MfaUser, RequestContext } from '../types.js';
import type { MfaContext } from './context.js';

/** A slot of an address's second-factor budget, held while one evaluation runs (or only checked for room). */
export interface AddressSlot {
  key: string;
  reservation: Reservation;
  /** False when the budget was only checked (`available`): an evaluated failure takes its slot afterwards. */
  taken: boolean;
}

/** Counter key of an address's second-factor budget, or null when the request has none (exempt). */
export function addressBudgetKey(mfa: MfaContext, ctx: RequestContext | undefined): string | null {
  const key = mfa.options.limits.addressBudget.key(ctx ?? {});
  return typeof key === 'string' && key !== '' ? `addr:${key}` : null;
}

/**
 * Claims the address's sliding-window budget before a second-factor
 * evaluation. Null when the request is exempt (no address, or the app's key
 * function said so).
 * - `take: true` reserves one slot (charge first): N parallel wrong codes
 *   from one address can never evaluate more than the budget.
 * - `take: false` only checks that the budget has room, for a code already
 *   known to match (a TOTP code of the factor the challenge carried): an
 *   address over its budget still gets no evaluation at all, and a success,
 *   the usual outcome, then costs no slot and no refund. If the evaluation
 *   fails after all (a replayed step, a replaced factor),
 *   {@link settleAddressSlot} takes the slot then.
 */
export async function claimAddressSlot(
  mfa: MfaContext,
  ctx: RequestContext | undefined,
  now: number,
  take: boolean,
): Promise<AddressSlot | null> {
  const key = addressBudgetKey(mfa, ctx);
  if (key === null) return null;
  const { maxFailures, windowMs } = mfa.options.limits.addressBudget;
  const limit = { limit: maxFailures, windowMs };
  const reservation = take
    ? await mfa.backend.counters.reserve(key, limit, now)
    : await mfa.backend.counters.available(key, limit, now);
  return { key, reservation, taken: take };
}

/**
 * Settles a slot after the evaluation: a failure that was evaluated keeps it
 * (and, when it filled the budget, records IP_BLOCKED); anything else (a
 * success, a refusal that evaluated nothing) gives it back (refund on success).
 * A slot only checked for room is taken now if the evaluation failed, and
 * costs nothing otherwise.
 */
export async function settleAddressSlot(
  mfa: MfaContext,
  slot: AddressSlot | null,
  evaluatedFailure: boolean,
  subject: { user: MfaUser; ctx: RequestContext },
  now: number,
): Promise<void> {
  if (slot === null) return;
  const { maxFailures, windowMs } = mfa.options.limits.addressBudget;
  let reservation = slot.reservation;
  if (!slot.taken) {
    if (!evaluatedFailure) return;
    reservation = await mfa.backend.counters.reserve(slot.key, { limit: maxFailures, windowMs }, now);
    if (!reservation.allowed) return;
  }
  const id = reservation.id;
  if (id == null) return;
  if (!evaluatedFailure) {
    await mfa.backend.counters.release(slot.key, id);
    return;
  }
  if (reservation.count >= maxFailures) {
    await mfa.events.emit(
      'IP_BLOCKED',
      { address: slot.key.slice('addr:'.length), limit: maxFailures, windowMs },
      subject,
    );
  }
}
