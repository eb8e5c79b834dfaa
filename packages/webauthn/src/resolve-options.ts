import { isIP } from 'node:net';
import { MfaError } from '@mfa-kit/core';
import type { WebAuthnVerifierOptions } from './options.js';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
const LOOPBACK = new Set(['localhost', '127.0.0.1']);

/** {@link WebAuthnVerifierOptions} with defaults filled in. */
export type ResolvedWebAuthnVerifierOptions = Required<WebAuthnVerifierOptions>;

function fail(message: string): never {
  throw new MfaError('CONFIGURATION', { message: `@mfa-kit/webauthn: ${message}` });
}

/** Whether `host` is `rpId` or a subdomain of it (W3C WebAuthn §5.1.2: the RP ID must be a registrable suffix). */
function withinRpId(host: string, rpId: string): boolean {
  return host === rpId || host.endsWith(`.${rpId}`);
}

/**
 * Validates the relying party: an RP ID that is a lower-case domain (not an
 * IP address), origins that are bare `https://` origins (or `http://` on
 * loopback) under that RP ID. A mistake here would make every ceremony fail
 * at run time, or accept assertions made for another site, so it throws
 * `MfaError('CONFIGURATION')` at start-up instead.
 */
export function resolveWebAuthnVerifierOptions(
  options: WebAuthnVerifierOptions,
): ResolvedWebAuthnVerifierOptions {
  if (typeof options !== 'object' || options === null) fail('options are required');
  const { rpId, rpName } = options;
  if (typeof rpId !== 'string' || !DOMAIN.test(rpId))
    fail(
      `rpId must be a lower-case domain without scheme or port (e.g. "example.com"), got ${JSON.stringify(rpId)}`,
    );
  // W3C WebAuthn §5.1.2: an RP ID is a domain; browsers refuse every ceremony for an IP address.
  if (isIP(rpId) !== 0)
    fail(`rpId must be a domain name, not an IP address (use "localhost"), got "${rpId}"`);
  if (typeof rpName !== 'string' || rpName.trim() === '' || rpName.length > 100)
    fail('rpName must be 1 to 100 characters');
  if (!Array.isArray(options.origins) || options.origins.length === 0)
    fail('origins must list at least one origin (e.g. ["https://app.example.com"])');
  const origins = options.origins.map((origin: unknown) => {
    let url: URL;
    try {
      url = new URL(String(origin));
    } catch {
      return fail(`origin ${JSON.stringify(origin)} is not a URL`);
    }
    if (url.origin !== origin)
      fail(`origin ${JSON.stringify(origin)} must be a bare origin like ${url.origin}`);
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    if (!secure) fail(`origin ${origin} must use https (http only on localhost)`);
    if (!withinRpId(url.hostname, rpId)) fail(`origin ${origin} is not within rpId "${rpId}"`);
    return url.origin;
  });
  const choice = <T extends string>(
    value: T | undefined,
    allowed: readonly T[],
    name: string,
    fallback: T,
  ) => {
    if (value === undefined) return fallback;
    if (!allowed.includes(value)) fail(`${name} must be one of ${allowed.join(', ')}`);
    return value;
  };
  const levels = ['required', 'preferred', 'discouraged'] as const;
  const timeoutMs = options.timeoutMs ?? 300_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 10_000 || timeoutMs > 600_000)
    fail('timeoutMs must be a whole number of milliseconds from 10_000 to 600_000');
  return Object.freeze({
    rpId,
    rpName,
    origins: Object.freeze(origins),
    userVerification: choice(options.userVerification, levels, 'userVerification', 'preferred'),
    residentKey: choice(options.residentKey, levels, 'residentKey', 'preferred'),
    timeoutMs,
  });
}
