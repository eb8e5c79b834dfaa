import { MfaError } from '@mfa-kit/core';

/** Input of {@link formatSmsMessage}. */
export interface SmsMessageInput {
  /** Shown first so the user knows who sent the code, e.g. `Clarus WMS`. */
  appName: string;
  /** The one-time code. */
  code: string;
  /**
   * Host of the site the code is for, e.g. `example.com`. Adds the
   * origin-bound line `@example.com #123456` so browsers offer the code for
   * that site only (WICG "Origin-bound one-time codes delivered via SMS").
   * @default none
   */
  originDomain?: string;
}

/** A host name: labels of letters, digits and hyphens; no scheme, port or path. */
const HOST =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * The SMS text: `"<appName>: your verification code is <code>"`, plus, when
 * `originDomain` is set, a last line `@<domain> #<code>`. The spec requires
 * that line to be the message's last; a blank line before it keeps the text
 * readable. Throws `VALIDATION` for a code with whitespace or a domain that
 * is not a bare host, because either would break autofill silently.
 */
export function formatSmsMessage(input: SmsMessageInput): string {
  const appName = input.appName.replace(/\s+/g, ' ').trim();
  const { code, originDomain } = input;
  if (code.length === 0 || /\s/.test(code)) {
    throw new MfaError('VALIDATION', {
      message: 'The SMS code must be non-empty and contain no whitespace.',
    });
  }
  const first =
    appName.length > 0
      ? `${appName}: your verification code is ${code}`
      : `Your verification code is ${code}`;
  if (originDomain === undefined) return first;
  if (!HOST.test(originDomain)) {
    throw new MfaError('VALIDATION', {
      message: 'originDomain must be a bare host name like example.com (no scheme, port or path).',
    });
  }
  return `${first}\n\n@${originDomain.toLowerCase()} #${code}`;
}
