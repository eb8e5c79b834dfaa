import { MfaError } from '@mfa-kit/core';

/**
 * Checks the configured `allowedOrigins` once, at creation, and returns
 * their canonical serialisations (RFC 6454 §6.2: lower-case scheme and host,
 * no default port, no trailing slash), the only form `checkOrigin` accepts.
 * Each entry must be an http(s) origin: no userinfo, path, query or
 * fragment (`https://app.example.com/` with its lone slash is fine). Anything
 * else is `MfaError('CONFIGURATION')`: a typo here would otherwise refuse
 * every request, or trust a value no browser sends.
 */
export function parseAllowedOrigins(origins: unknown, where: string): readonly string[] {
  if (!Array.isArray(origins) || origins.length === 0) {
    throw configuration(`${where}: \`allowedOrigins\` must list the origins of the app (CSRF defence)`);
  }
  return Object.freeze([...new Set(origins.map((origin) => canonicalOrigin(origin, where)))]);
}

function canonicalOrigin(value: unknown, where: string): string {
  const invalid = (why: string) =>
    configuration(`${where}: allowedOrigins entry ${JSON.stringify(value)} is not an origin (${why})`);
  if (typeof value !== 'string') throw invalid('not a string');
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new MfaError('CONFIGURATION', {
      message: `${where}: allowedOrigins entry ${JSON.stringify(value)} is not a URL`,
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('scheme must be http or https');
  if (url.username !== '' || url.password !== '') throw invalid('userinfo is not allowed');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(value))
    throw invalid('path, query and fragment are not allowed');
  return url.origin;
}

function configuration(message: string): MfaError {
  return new MfaError('CONFIGURATION', { message });
}
