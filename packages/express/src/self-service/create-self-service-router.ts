import express, { type Router } from 'express';
import { checkOrigin } from '../http/check-origin.js';
import { noStore } from '../http/no-store.js';
import { createErrorHandler } from '../http/send-error.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { registerChallengeRoutes } from './challenge-routes.js';
import { registerDeclineRoute } from './decline-route.js';
import { registerDisableRoute } from './disable-route.js';
import { registerRecoveryCodesRoute } from './recovery-codes-route.js';
import { registerSignInStateRoute } from './sign-in-state-route.js';
import { registerSignOutRoutes } from './sign-out-routes.js';
import { registerSmsEnrolmentRoutes } from './sms-enrolment-routes.js';
import { registerSmsSignInRoutes } from './sms-sign-in-routes.js';
import { registerStatusRoute } from './status-route.js';
import { registerTotpEnrolmentRoutes } from './totp-enrolment-routes.js';
import { registerTrustedDeviceRoutes } from './trusted-device-routes.js';
import { registerVerifyRoute } from './verify-route.js';
import { webAuthnGate } from './webauthn-gate.js';
import { registerWebAuthnRoutes } from './webauthn-routes.js';

/** Options of `selfServiceRouter()`. */
export interface SelfServiceRouterOptions {
  /** Your server log: unexpected errors and server-side (5xx) `MfaError`s, whole (the client gets only the code and its stable message). @default ignore */
  onUnexpectedError?: (error: unknown) => void;
}

/**
 * The mountable JSON self-service router (`app.use('/mfa', router)`): sign-in
 * challenge routes, enrolment, decline, recovery codes, disable, step-up.
 * Every body is JSON of at most `bodyLimit` (413 above), validated with zod
 * (400 VALIDATION with `fields`); state-changing requests must come from an
 * allowed origin (403 FORBIDDEN, see `checkOrigin`); every error has the
 * uniform body; no response may be cached (`Cache-Control: no-store`, see
 * `noStore`: secrets, QR codes and recovery codes pass through here). Mount
 * it after express-session, `passport.initialize()` and `passport.session()`.
 */
export function createSelfServiceRouter(
  kit: ResolvedMfaExpressOptions,
  options: SelfServiceRouterOptions = {},
): Router {
  const router = express.Router();
  router.use(noStore);
  router.use(checkOrigin({ allowedOrigins: kit.allowedOrigins, requireOrigin: kit.requireOrigin }));
  router.use(express.json({ limit: kit.bodyLimit }));
  const gate = webAuthnGate(kit);
  if (gate !== null) router.use(gate);
  registerStatusRoute(router, kit);
  registerSignInStateRoute(router, kit);
  registerChallengeRoutes(router, kit);
  registerSmsSignInRoutes(router, kit);
  registerTotpEnrolmentRoutes(router, kit);
  registerSmsEnrolmentRoutes(router, kit);
  registerDeclineRoute(router, kit);
  registerRecoveryCodesRoute(router, kit);
  registerVerifyRoute(router, kit);
  registerDisableRoute(router, kit);
  registerSignOutRoutes(router, kit);
  registerTrustedDeviceRoutes(router, kit);
  registerWebAuthnRoutes(router, kit);
  router.use(createErrorHandler(options.onUnexpectedError));
  return router;
}
