import type { Mfa } from '@mfa-kit/core';
import { MfaError } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { validate } from '../../http/validate.js';
import { getAdminContext } from '../context.js';
import { isInstanceWide } from '../org-scope.js';
import { clearAddressBodySchema } from '../schemas.js';

/**
 * `POST /addresses/clear { address, reason? }`: gives a client address its
 * whole second-factor failure budget back (e.g. an office NAT refused after
 * a burst of typos; the refusal also ends by itself as failures leave the
 * sliding window). IPv6 addresses are cleared by their budget prefix (/64 by
 * default). An address is shared by every organisation behind it, so only
 * an instance-wide admin may clear one. Recorded as ADMIN_ADDRESS_CLEARED.
 */
export function createClearAddressHandler(deps: { mfa: Mfa }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    if (!isInstanceWide(context)) {
      throw new MfaError('FORBIDDEN', { message: 'Only an instance-wide admin can clear an address.' });
    }
    const body = validate(clearAddressBodySchema, req.body ?? {});
    const input = body.reason !== undefined && body.reason !== '' ? { reason: body.reason } : {};
    const cleared = await deps.mfa.admin.clearAddress(context.actor, body.address, input);
    res.json({ ok: true, address: cleared.address });
  };
}
