import type { SmsSendResult } from '@mfa-kit/core';
import type { Response } from 'express';
import { fail } from '../request.js';

/**
 * Renders a failed SMS send as the uniform error body: provider failures keep
 * the provider's code and hint (seed 004: "Error Code: 500"), limits keep
 * their retry-after.
 */
export function sendSmsFailure(res: Response, sent: Exclude<SmsSendResult, { ok: true }>) {
  switch (sent.code) {
    case 'NOT_ENROLLED':
      return fail(res, 'NOT_ENROLLED');
    case 'VALIDATION':
      return fail(res, 'VALIDATION', { message: sent.message, fields: { phone: sent.message } });
    case 'SMS_FAILURE':
    case 'PROVIDER_FAILURE':
      return fail(res, sent.code, {
        message: sent.message,
        ...(sent.providerCode === null ? {} : { providerCode: sent.providerCode }),
        ...(sent.hint === null ? {} : { hint: sent.hint }),
      });
    case 'ACCOUNT_LOCKED':
      return fail(
        res,
        'ACCOUNT_LOCKED',
        sent.retryAfterMs === null ? {} : { retryAfterMs: sent.retryAfterMs },
      );
    case 'COOLDOWN':
    case 'RATE_LIMITED':
      return fail(res, sent.code, { retryAfterMs: sent.retryAfterMs });
  }
}
