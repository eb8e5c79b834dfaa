import { type Mfa, MfaError, type MfaUser } from '@mfa-kit/core';
import express, { type Router } from 'express';
import { checkOrigin } from '../http/check-origin.js';
import { noStore } from '../http/no-store.js';
import { requestContext } from '../http/request-context.js';
import { createErrorHandler, sendError } from '../http/send-error.js';
import { unlockRedeemBodySchema, unlockRequestBodySchema } from './schemas.js';
import { validate } from '../http/validate.js';

/** Options of {@link createUnlockRouter}. */
export interface UnlockRouterOptions {
  /** The mfa-kit instance; its `unlock.delivery` is the app's mailer and its policy's `allowSelfUnlock` switches the feature. */
  mfa: Mfa;
  /** Finds the user for what they typed (email or username); null when there is none. */
  findUserByIdentifier: (identifier: string) => Promise<MfaUser | null>;
  /** Origins allowed to POST (same CSRF check as the other routers). */
  allowedOrigins: readonly string[];
  /** Refuse a POST that has neither Origin nor Referer. @default true */
  requireOrigin?: boolean;
  /** Your server log: errors of the background unlock request, unexpected errors and server-side (5xx) `MfaError`s. @default ignore */
  onUnexpected?: (error: unknown) => void;
}

/** The one body `POST /unlock/request` ever answers with. */
export const UNLOCK_REQUEST_ACCEPTED = {
  ok: true,
  message: 'If this account is locked and can be unlocked by email, we have sent unlock instructions.',
} as const;

/**
 * Public routes for unlocking by email (seed 002: "check your email for
 * unlock instructions"), to mount where signed-out users can reach them:
 * - `POST /unlock/request { identifier }` → always 202 with the same body. The
 *   rate limits, the lookup and the delivery run after the response is sent,
 *   so neither the body nor the response time tells whether the account
 *   exists, is locked, or may self-unlock. Core checks the per-IP limit
 *   (`unlock.requestsPerIpPerHour`) before it calls `findUserByIdentifier`.
 * - `POST /unlock/redeem { token }` → 200 `{ ok: true }` once; an expired,
 *   reused or tampered token → 400 INVALID_TOKEN.
 * There is deliberately no GET that redeems: mail scanners prefetch links, so
 * the emailed link should open an app page that POSTs the token.
 */
export function createUnlockRouter(options: UnlockRouterOptions): Router {
  if (options.mfa === undefined || typeof options.findUserByIdentifier !== 'function') {
    throw new MfaError('CONFIGURATION', {
      message: 'createUnlockRouter needs `mfa` and `findUserByIdentifier`.',
    });
  }
  const onUnexpected = options.onUnexpected ?? (() => {});
  const router = express.Router();
  router.use(noStore);
  router.use(
    checkOrigin({ allowedOrigins: options.allowedOrigins, requireOrigin: options.requireOrigin ?? true }),
  );
  router.use(express.json({ limit: '8kb' }));

  router.post('/unlock/request', (req, res) => {
    const { identifier } = validate(unlockRequestBodySchema, req.body);
    const ctx = requestContext(req);
    // Over the per-IP limit the answer is still this 202, not a 429: the
    // limit is decided after the response, so the answer and its timing
    // depend on nothing (not on the account, nor on the limiter or its store
    // being up), and "never reveals whether the account exists or is locked"
    // holds by construction. The cost: a legitimate user behind a throttled
    // IP gets no mail and no hint why; the admin can still unlock them.
    res.status(202).json(UNLOCK_REQUEST_ACCEPTED);
    // The lookup is handed to core rather than awaited here so that it runs
    // only after the per-IP limit allowed the request.
    options.mfa.unlock.request(() => options.findUserByIdentifier(identifier), ctx).catch(onUnexpected);
  });

  router.post('/unlock/redeem', async (req, res) => {
    const { token } = validate(unlockRedeemBodySchema, req.body);
    const result = await options.mfa.unlock.redeem(token, requestContext(req));
    if (!result.ok) return sendError(res, 'INVALID_TOKEN');
    res.json({ ok: true });
  });

  router.use(createErrorHandler(onUnexpected));
  return router;
}
