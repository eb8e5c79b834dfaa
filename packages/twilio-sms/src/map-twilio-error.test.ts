import { MfaError } from '@mfa-kit/core';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { mapTwilioError } from './map-twilio-error.js';
import { DeadlineExceededError } from './with-deadline.js';

/** A RestException exactly as the SDK builds it from an HTTP response. */
function rest(statusCode: number, body: unknown) {
  return new twilio.RestException({ statusCode, body, headers: {} } as never);
}

describe('mapTwilioError', () => {
  it('keeps the HTTP status as providerCode when a 5xx carries no Twilio code', () => {
    const error = mapTwilioError(rest(502, '<html>Bad gateway</html>'));
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details).toMatchObject({ providerCode: 502, reason: 'provider-down' });
  });

  it('treats an unknown 4xx code as a provider failure the user cannot fix', () => {
    const error = mapTwilioError(rest(400, { code: 21606, message: 'From is not valid', status: 400 }));
    expect(error.code).toBe('PROVIDER_FAILURE');
    expect(error.details.providerCode).toBe(21606);
  });

  it('maps our own deadline to ETIMEDOUT and keeps the cause', () => {
    const cause = new DeadlineExceededError(100);
    const error = mapTwilioError(cause);
    expect(error.details).toMatchObject({ providerCode: 'ETIMEDOUT', reason: 'provider-down' });
    expect(error.cause).toBe(cause);
  });

  it('maps axios timeouts (ECONNABORTED) to ETIMEDOUT and a thrown non-error to a code-less failure', () => {
    const timeout = Object.assign(new Error('timeout of 10ms exceeded'), { code: 'ECONNABORTED' });
    expect(mapTwilioError(timeout).details.providerCode).toBe('ETIMEDOUT');
    const odd = mapTwilioError('boom');
    expect(odd.code).toBe('PROVIDER_FAILURE');
    expect(odd.details.providerCode).toBeUndefined();
    expect(odd.message).not.toContain('boom');
  });

  it('passes an MfaError through unchanged', () => {
    const original = new MfaError('SMS_FAILURE', { providerCode: 21211 });
    expect(mapTwilioError(original)).toBe(original);
  });

  it('never copies the provider message (which may echo the number) into the user text', () => {
    const error = mapTwilioError(
      rest(400, { code: 21211, message: "The 'To' number +15551234567 is not valid" }),
    );
    expect(`${error.message} ${error.details.hint}`).not.toContain('+15551234567');
  });
});
