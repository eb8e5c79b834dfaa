import type { FactorType } from '@mfa-kit/core';
import { MfaStrategy } from './mfa-strategy.js';

/**
 * Passport strategy `mfa-sms`: the second step of a pending sign-in with the
 * code core sent by SMS (`mfa.sms.sendSignInCode`).
 */
export class MfaSmsStrategy extends MfaStrategy {
  readonly name = 'mfa-sms';
  protected readonly factor: FactorType = 'sms';
}
