import { MfaError } from '../errors.js';
import type { WebAuthnVerifier } from '../ports/webauthn-verifier.js';
import type { WebAuthnCredential } from '../types.js';
import type { WebAuthnCredentialInfo } from '../api.js';
import type { MfaContext } from './context.js';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Longest credential id accepted (W3C WebAuthn §5.8.3: at most 1023 bytes, i.e. 1364 base64url characters). */
const MAX_CREDENTIAL_ID = 1364;
/** Longest clientDataJSON accepted (base64url); real ones are a few hundred bytes. */
const MAX_CLIENT_DATA = 8192;
/** Longest credential name. */
export const MAX_CREDENTIAL_NAME = 64;

/** The configured WebAuthn settings, or CONFIGURATION when `webauthn` was not given to `createMfa`. */
export function webauthnConfig(mfa: MfaContext): {
  verifier: WebAuthnVerifier;
  challengeTtlMs: number;
  maxCredentials: number;
} {
  const config = mfa.options.webauthn;
  if (config === undefined)
    throw new MfaError('CONFIGURATION', {
      message: 'WebAuthn is not configured: pass `webauthn: { verifier }` to createMfa.',
    });
  return config;
}

/** A new challenge: 32 random bytes, base64url (W3C WebAuthn §13.4.3 asks for at least 16). */
export function newWebAuthnChallenge(mfa: MfaContext): string {
  return Buffer.from(mfa.options.random.bytes(32)).toString('base64url');
}

/**
 * The ceremony binding as stored: a keyed hash of what the caller passed (a
 * session id in `@mfa-kit/express`), so the store never holds the session id.
 */
export function bindingOf(mfa: MfaContext, userId: string, binding: unknown): string {
  if (typeof binding !== 'string' || binding === '' || binding.length > 512)
    throw new MfaError('VALIDATION', {
      message: 'binding must be a non-empty string',
      fields: { binding: 'invalid' },
    });
  return mfa.hasher.hash(`webauthn-binding:${userId}`, binding);
}

/** The WebAuthn user handle: opaque bytes derived from the user id (never the id itself, W3C WebAuthn §14.6.1). */
export function userHandleOf(mfa: MfaContext, userId: string): string {
  return mfa.hasher.hash('webauthn-user-handle', userId);
}

/** What core reads of a credential response before the verifier checks it: its id and the challenge it claims. */
export interface ParsedWebAuthnResponse {
  credentialId: string;
  challenge: string;
}

/**
 * Reads `id` and the challenge inside `response.clientDataJSON` from a
 * `PublicKeyCredential` in JSON form (what `@simplewebauthn/browser` and
 * `toJSON()` produce), or null for anything malformed. Nothing here is
 * trusted yet: the verifier checks the signature over this very clientData.
 */
export function parseWebAuthnResponse(response: unknown): ParsedWebAuthnResponse | null {
  if (typeof response !== 'object' || response === null) return null;
  const { id, response: inner } = response as { id?: unknown; response?: unknown };
  if (typeof id !== 'string' || id.length > MAX_CREDENTIAL_ID || !BASE64URL.test(id)) return null;
  if (typeof inner !== 'object' || inner === null) return null;
  const clientData = (inner as { clientDataJSON?: unknown }).clientDataJSON;
  if (typeof clientData !== 'string' || clientData.length > MAX_CLIENT_DATA || !BASE64URL.test(clientData))
    return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientData, 'base64url').toString('utf8'));
    const challenge = (parsed as { challenge?: unknown } | null)?.challenge;
    if (typeof challenge !== 'string' || challenge.length > 1024 || !BASE64URL.test(challenge)) return null;
    return { credentialId: id, challenge };
  } catch {
    return null;
  }
}

/**
 * Characters a name must not hold: controls (C0, C1), line and paragraph
 * separators, and format characters (bidi overrides such as U+202E, zero-width
 * spaces) except the zero-width joiner that emoji sequences need. A name is
 * shown in pages and in security notifications ("passkey 'Laptop' removed"),
 * where a bidi override would make it read as something else (Unicode TR36 §2.1).
 */
const UNSAFE_IN_NAME = /(?!\u200d)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A credential name from the user: trimmed, 1–64 characters, no control or format characters; else VALIDATION. */
export function parseCredentialName(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > MAX_CREDENTIAL_NAME || UNSAFE_IN_NAME.test(name))
    throw new MfaError('VALIDATION', {
      message: `name must be 1 to ${MAX_CREDENTIAL_NAME} characters`,
      fields: { name: 'invalid' },
    });
  return name;
}

/** The transports W3C WebAuthn defines (§5.8.4 `AuthenticatorTransport`, plus `cable`, hybrid's older name). */
const TRANSPORTS: ReadonlySet<string> = new Set([
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
]);

/**
 * The transports of a new credential worth keeping: the client reports them
 * (`getTransports()`) and nothing checks them, so only known values, once
 * each; anything else is dropped (it would be stored and handed back to
 * browsers in every sign-in's options).
 */
export function knownTransports(reported: readonly unknown[]): string[] {
  const kept = Array.isArray(reported)
    ? reported.filter((t) => typeof t === 'string' && TRANSPORTS.has(t))
    : [];
  return [...new Set(kept as string[])];
}

/** Throws VALIDATION unless `value` looks like a credential id. */
export function assertCredentialId(value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length > MAX_CREDENTIAL_ID || !BASE64URL.test(value))
    throw new MfaError('VALIDATION', {
      message: 'credentialId is malformed',
      fields: { credentialId: 'invalid' },
    });
}

/** What users, admins and the CLI see of a credential (no public key, no counter). */
export function credentialInfo(credential: WebAuthnCredential): WebAuthnCredentialInfo {
  const { id, name, createdAt, lastUsedAt, transports, backupEligible, backedUp } = credential;
  return { id, name, createdAt, lastUsedAt, transports: [...transports], backupEligible, backedUp };
}
