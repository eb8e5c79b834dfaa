import type { FactorType, MfaUser, VerifyResult } from '@mfa-kit/core';
import type { Request } from 'express';
import { requestContext } from '../http/request-context.js';
import {
  MfaStrategy,
  type MfaStrategyOptions,
  type MfaVerifyFunction,
  type MfaVerifyFunctionWithRequest,
} from './mfa-strategy.js';

/**
 * Passport strategy `mfa-webauthn`: the second step of a pending sign-in with
 * a passkey or security key. The body field (`response` by default) holds the
 * assertion as `PublicKeyCredential.toJSON()` (or `@simplewebauthn/browser`'s
 * `startAuthentication()`) returns it, made for the options of
 * `POST /sign-in/webauthn/options`. Core checks it against the challenge
 * stored for THIS pending sign-in (bound to its session id), spends that
 * challenge and checks the signature counter in one atomic limiter decision.
 */
export class MfaWebAuthnStrategy extends MfaStrategy {
  readonly name = 'mfa-webauthn';
  protected readonly factor: FactorType = 'webauthn';

  constructor(options: MfaStrategyOptions, verify?: MfaVerifyFunction | MfaVerifyFunctionWithRequest) {
    super({ ...options, codeField: options?.codeField ?? 'response' }, verify);
  }

  protected override verifyFactor(req: Request, user: MfaUser, response: unknown): Promise<VerifyResult> {
    // The pending sign-in is named by the session id: the binding its challenge was stored under.
    return this.mfaOption.webauthn.verifySignIn(
      user,
      { response, binding: req.sessionID },
      requestContext(req),
    );
  }
}
