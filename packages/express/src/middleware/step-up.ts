import type { RequestHandler } from 'express';
import { createErrorBody } from '../http/error-body.js';
import { errorStatus } from '../http/error-status.js';
import { sendError } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { signedInUser } from './signed-in-user.js';
import { stepUpFactors } from './step-up-factors.js';

/** Options of `stepUp()`. */
export interface StepUpOptions {
  /** How long ago the last second factor may have been completed, in ms. */
  maxAgeMs: number;
}

/**
 * `stepUp({ maxAgeMs })`: for sensitive actions, requires that this session
 * verified one of the user's existing second factors within `maxAgeMs` (NIST
 * SP 800-63B §4.2.3 reauthentication; confirming a new factor doesn't count).
 * Otherwise 403 MFA_REQUIRED with `stepUp: true` and `stepUpFactors`, the
 * factors this user can verify with `POST /verify` of the self-service router
 * (`webauthn` when they have a passkey: `POST /verify/webauthn/options`
 * first). A session that passes costs no store access (only the session is
 * read); a refusal reads the user's status for `stepUpFactors`.
 */
export function createStepUp(kit: ResolvedMfaExpressOptions, options: StepUpOptions): RequestHandler {
  if (!Number.isSafeInteger(options?.maxAgeMs) || options.maxAgeMs < 0)
    throw new TypeError('stepUp: `maxAgeMs` must be a non-negative integer');
  return async (req, res, next) => {
    try {
      const user = signedInUser(kit, req);
      if (user === null) return sendError(res, 'UNAUTHENTICATED');
      const state = req.session?.mfa;
      const verifiedAt = state !== undefined && state.userId === user.id ? state.verifiedAt : null;
      if (typeof verifiedAt === 'number' && kit.clock.now() - verifiedAt <= options.maxAgeMs) return next();
      const status = await kit.mfa.status(user);
      const body = createErrorBody('MFA_REQUIRED', {
        message: 'Confirm it is you: verify a second factor again to continue.',
      });
      body.error.stepUp = true;
      body.error.stepUpFactors = stepUpFactors(status, kit.mfa.options.webauthn !== undefined);
      res.status(errorStatus.MFA_REQUIRED).json(body);
    } catch (error) {
      next(error);
    }
  };
}
