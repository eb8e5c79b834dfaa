import { MfaError, maskPhoneNumber, type SmsMessage, type SmsSender } from '@mfa-kit/core';
import type { DevInbox } from './dev-inbox.js';

/**
 * Test numbers that fail like Twilio's magic numbers, so the example can show
 * SMS_FAILURE and PROVIDER_FAILURE (seed 004) without a Twilio account.
 */
export const FAILING_TEST_NUMBERS: Readonly<Record<string, MfaError>> = {
  '+15005550001': new MfaError('SMS_FAILURE', {
    message: 'The phone number is not valid.',
    providerCode: 21211,
    reason: 'invalid-number',
    hint: 'Check the number and enter it in international format, e.g. +14155550100.',
  }),
  '+15005550004': new MfaError('SMS_FAILURE', {
    message: 'This number has opted out of SMS.',
    providerCode: 21610,
    reason: 'unsubscribed',
    hint: 'Reply START to the sender to receive messages again.',
  }),
  '+15005550500': new MfaError('PROVIDER_FAILURE', {
    message: 'The SMS provider failed with Error Code: 500.',
    providerCode: 500,
    reason: 'provider-down',
  }),
};

/**
 * Development SMS sender: puts each message in the dev inbox instead of
 * sending it, and prints it to the terminal (in development only; otherwise
 * just the masked number).
 */
export function createConsoleSmsSender(
  inbox: DevInbox,
  log: (line: string) => void = console.log,
  development = true,
): SmsSender {
  return {
    name: 'console',
    async send(message: SmsMessage) {
      const failure = FAILING_TEST_NUMBERS[message.to];
      if (failure !== undefined)
        throw new MfaError(failure.code, { ...failure.details, message: failure.message, cause: failure });
      const stored = inbox.add({
        kind: 'sms',
        to: message.to,
        subject: null,
        body: message.body,
        link: null,
      });
      // Outside development the terminal never shows a code or a whole number.
      log(
        development
          ? `[sms to ${message.to}] ${message.body}`
          : `[sms to ${maskPhoneNumber(message.to)}] (code not shown outside development)`,
      );
      return { id: `console-${stored.id}` };
    },
  };
}
