import type { FactorType } from '@mfa-kit/core';
import { MfaStrategy } from './mfa-strategy.js';

/**
 * Passport strategy `mfa-recovery`: the second step of a pending sign-in with
 * a single-use recovery code (seed 001: "use a recovery code as a 2-step
 * authentication step"; seed 002: "can only be used once").
 */
export class MfaRecoveryStrategy extends MfaStrategy {
  readonly name = 'mfa-recovery';
  protected readonly factor: FactorType = 'recovery';
}
