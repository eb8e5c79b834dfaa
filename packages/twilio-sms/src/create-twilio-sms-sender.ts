import { MfaError, type SmsMessage, type SmsSender } from '@mfa-kit/core';
import { PROVIDER_NAME } from './defaults.js';
import { mapTwilioError } from './map-twilio-error.js';
import type { TwilioSmsSenderOptions } from './options.js';
import { configurationError, resolveClientOptions } from './resolve-client-options.js';
import { runWithRetries } from './run-with-retries.js';

/**
 * An `SmsSender` on Twilio Programmable Messaging (`POST /Messages.json`
 * through the official SDK). Failures reject with `MfaError`
 * `SMS_FAILURE`/`PROVIDER_FAILURE` carrying Twilio's code
 * (see {@link mapTwilioError}); core turns them into events and into a
 * result the user sees, without charging a verification attempt.
 * Options are validated here: a misconfiguration throws `CONFIGURATION`.
 */
export function createTwilioSmsSender(options: TwilioSmsSenderOptions): SmsSender {
  const from = options.from;
  const messagingServiceSid = options.messagingServiceSid;
  const hasFrom = typeof from === 'string' && from.length > 0;
  const hasService = typeof messagingServiceSid === 'string' && messagingServiceSid.length > 0;
  if (hasFrom === hasService) {
    throw configurationError('Give exactly one of from (a sender number) and messagingServiceSid (MG…).');
  }
  if (hasService && !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid)) {
    throw configurationError(
      'messagingServiceSid must be a Messaging Service SID (MG followed by 32 hex digits).',
    );
  }
  const resolved = resolveClientOptions(options);
  const sender = hasFrom ? { from } : { messagingServiceSid };
  const context = hasFrom ? { from } : {};

  return {
    name: PROVIDER_NAME,
    async send(message: SmsMessage): Promise<{ id: string }> {
      if (typeof message.to !== 'string' || message.to.length === 0 || typeof message.body !== 'string') {
        throw new MfaError('VALIDATION', { message: 'An SMS needs a destination number and a body.' });
      }
      const created = await runWithRetries(
        () => resolved.client.messages.create({ to: message.to, body: message.body, ...sender }),
        resolved,
        (error) => mapTwilioError(error, context),
      );
      return { id: created.sid };
    },
  };
}
