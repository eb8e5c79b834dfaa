import type { FactorType } from '@mfa-kit/core';
import { MfaStrategy } from './mfa-strategy.js';

/**
 * Passport strategy `mfa-totp`: the second step of a pending sign-in with a
 * code from an authenticator app (RFC 6238; core refuses a replayed step).
 */
export class MfaTotpStrategy extends MfaStrategy {
  readonly name = 'mfa-totp';
  protected readonly factor: FactorType = 'totp';
}
