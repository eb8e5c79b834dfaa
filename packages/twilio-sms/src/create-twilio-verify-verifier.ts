import { MfaError, type PhoneVerifier } from '@mfa-kit/core';
import { PROVIDER_NAME } from './defaults.js';
import { mapTwilioError } from './map-twilio-error.js';
import type { TwilioVerifyVerifierOptions } from './options.js';
import { configurationError, resolveClientOptions } from './resolve-client-options.js';
import { runWithRetries } from './run-with-retries.js';

/**
 * A `PhoneVerifier` on Twilio Verify v2: Twilio generates, sends and checks
 * the code (and applies its Fraud Guard); mfa-kit's own attempt limits still
 * apply on top. `check` is false for a wrong code and when Twilio has no
 * pending verification (expired, already approved: HTTP 404 / 20404).
 */
export function createTwilioVerifyVerifier(options: TwilioVerifyVerifierOptions): PhoneVerifier {
  if (typeof options.serviceSid !== 'string' || !/^VA[0-9a-fA-F]{32}$/.test(options.serviceSid)) {
    throw configurationError('serviceSid must be a Verify service SID (VA followed by 32 hex digits).');
  }
  const resolved = resolveClientOptions(options);
  const service = () => resolved.client.verify.v2.services(options.serviceSid);
  const mapError = (error: unknown) => mapTwilioError(error);

  return {
    name: `${PROVIDER_NAME}-verify`,
    async start(to: string): Promise<void> {
      requirePhone(to);
      await runWithRetries(() => service().verifications.create({ to, channel: 'sms' }), resolved, mapError);
    },
    async check(to: string, code: string): Promise<boolean> {
      requirePhone(to);
      if (typeof code !== 'string' || code.length === 0) return false;
      try {
        const result = await runWithRetries(
          () => service().verificationChecks.create({ to, code }),
          resolved,
          mapError,
        );
        return result.status === 'approved';
      } catch (error) {
        if (error instanceof MfaError && isNoPendingVerification(error.cause)) return false;
        throw error;
      }
    },
  };
}

function requirePhone(to: string): void {
  if (typeof to !== 'string' || to.length === 0) {
    throw new MfaError('VALIDATION', { message: 'A destination phone number is required.' });
  }
}

/** Twilio answers 404 (code 20404) when no verification is pending for the number. */
function isNoPendingVerification(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 404 || code === 20404;
}
