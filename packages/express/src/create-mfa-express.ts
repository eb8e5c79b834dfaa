import type { SessionRevocationReason } from '@mfa-kit/core';
import type { ErrorRequestHandler, Request, RequestHandler, Router } from 'express';
import type { SessionOptions } from 'express-session';
import { createErrorHandler } from './http/send-error.js';
import { createPasswordGuard, type PasswordGuardOptions } from './middleware/password-guard.js';
import { createRequireMfa, type RequireMfaOptions } from './middleware/require-mfa.js';
import { createStartSignIn } from './middleware/start-sign-in.js';
import { createStepUp, type StepUpOptions } from './middleware/step-up.js';
import type { MfaExpressOptions, ResolvedMfaExpressOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import { createSessionMiddleware } from './session/create-session-middleware.js';
import { endOtherSessions } from './session/end-other-sessions.js';
import {
  createSelfServiceRouter,
  type SelfServiceRouterOptions,
} from './self-service/create-self-service-router.js';
import { MfaRecoveryStrategy } from './strategies/recovery-strategy.js';
import { MfaSmsStrategy } from './strategies/sms-strategy.js';
import { MfaTotpStrategy } from './strategies/totp-strategy.js';
import { MfaWebAuthnStrategy } from './strategies/webauthn-strategy.js';

/** What {@link createMfaExpress} returns: small pieces the app wires where it wants them. */
export interface MfaExpress {
  /** The options after defaults were filled in. */
  readonly options: ResolvedMfaExpressOptions;
  /** The strategies registered on the app's Passport instance as `mfa-totp`, `mfa-sms`, `mfa-recovery`, `mfa-webauthn`. */
  readonly strategies: {
    totp: MfaTotpStrategy;
    sms: MfaSmsStrategy;
    recovery: MfaRecoveryStrategy;
    webauthn: MfaWebAuthnStrategy;
  };
  /** After the password step: log in, or start a pending challenge / forced enrolment. */
  startSignIn(): RequestHandler;
  /** Guards protected routes (401 for pending/anonymous, 403 MFA_REQUIRED when policy demands MFA). */
  requireMfa(options?: RequireMfaOptions): RequestHandler;
  /** Requires a second factor completed within `maxAgeMs` (sensitive actions). */
  stepUp(options: StepUpOptions): RequestHandler;
  /** Runs the app's password strategy and counts failures toward the shared account lock. */
  passwordGuard(options?: PasswordGuardOptions): RequestHandler;
  /**
   * express-session with mfa-kit's session model; use it instead of
   * `session(...)`. Takes express-session's options: `store` (default: the
   * development MemoryStore) is wrapped so every load checks the user's
   * session epoch, and session ids name their user. `startSignIn()` refuses
   * to run without it.
   */
  session(options: SessionOptions): RequestHandler;
  /**
   * Ends every other session of the signed-in user and keeps this one (new
   * id, new epoch). Call it after a password change:
   * `await mfaKit.endOtherSessions(req, { reason: 'password-changed' })`.
   */
  endOtherSessions(req: Request, input: { reason: SessionRevocationReason }): Promise<void>;
  /** The mountable JSON self-service router. */
  selfServiceRouter(options?: SelfServiceRouterOptions): Router;
  /**
   * An app-wide error handler (mount it last) that answers mfa-kit errors from
   * `requireMfa()`, `startSignIn()` and friends with the uniform body, e.g.
   * 503 STORE_UNAVAILABLE when the store is down (fail closed, never a bypass).
   */
  errorHandler(onUnexpected?: (error: unknown) => void): ErrorRequestHandler;
}

/**
 * Adds mfa-kit to an Express 5 + Passport 0.7 app. Builds one set of
 * middleware around one `Mfa` instance (no globals): registers the four MFA
 * strategies on the given Passport instance and returns the middleware and
 * router factories. Throws MfaError('CONFIGURATION') on bad options, at start-up.
 */
export function createMfaExpress(options: MfaExpressOptions): MfaExpress {
  const kit = resolveOptions(options);
  const strategyOptions = { mfa: kit.mfa, loadUser: kit.loadUser, clock: kit.clock };
  const strategies = {
    totp: new MfaTotpStrategy(strategyOptions),
    sms: new MfaSmsStrategy(strategyOptions),
    recovery: new MfaRecoveryStrategy(strategyOptions),
    webauthn: new MfaWebAuthnStrategy(strategyOptions),
  };
  kit.passport.use(strategies.totp);
  kit.passport.use(strategies.sms);
  kit.passport.use(strategies.recovery);
  kit.passport.use(strategies.webauthn);
  return Object.freeze({
    options: kit,
    strategies,
    session: (sessionOptions: SessionOptions) => createSessionMiddleware(kit, sessionOptions),
    endOtherSessions: (req: Request, input: { reason: SessionRevocationReason }) =>
      endOtherSessions(kit, req, input),
    startSignIn: () => createStartSignIn(kit),
    requireMfa: (requireOptions?: RequireMfaOptions) => createRequireMfa(kit, requireOptions),
    stepUp: (stepUpOptions: StepUpOptions) => createStepUp(kit, stepUpOptions),
    passwordGuard: (guardOptions?: PasswordGuardOptions) => createPasswordGuard(kit, guardOptions),
    selfServiceRouter: (routerOptions?: SelfServiceRouterOptions) =>
      createSelfServiceRouter(kit, routerOptions),
    errorHandler: (onUnexpected?: (error: unknown) => void) => createErrorHandler(onUnexpected),
  });
}
