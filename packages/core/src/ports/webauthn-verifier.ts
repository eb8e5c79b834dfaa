/**
 * The WebAuthn ceremonies (W3C Web Authentication Level 3) that core needs,
 * without any WebAuthn library in core: `@mfa-kit/webauthn` implements it on
 * `@simplewebauthn/server`. The relying party (RP ID, allowed origins) is the
 * adapter's configuration, validated when the adapter is created.
 *
 * The adapter only builds options and checks signatures; it keeps no state.
 * Core stores every challenge server-side (single-use, short-lived, bound to
 * its ceremony) and decides the signature counter, the challenge's use and the
 * limiter in one atomic store decision (`MfaStore.attempt`), so the adapter
 * must NOT reject a counter that did not grow: it reports the counter and
 * core refuses (and records) a regression.
 *
 * Expected failures (a bad signature, a wrong origin, malformed input) are
 * `{ ok: false }` values; a throw means misconfiguration or a bug.
 */
export interface WebAuthnVerifier {
  /** Name for logs and events, e.g. `simplewebauthn`. */
  readonly name: string;
  /** The RP ID credentials are scoped to (e.g. `example.com`). */
  readonly rpId: string;
  /** Options for `navigator.credentials.create()` (JSON, base64url), with this challenge. */
  registrationOptions(input: WebAuthnRegistrationOptionsInput): Promise<Record<string, unknown>>;
  /** Checks a registration response against the challenge core issued. */
  verifyRegistration(input: {
    response: unknown;
    expectedChallenge: string;
  }): Promise<WebAuthnRegistrationVerdict>;
  /** Options for `navigator.credentials.get()` (JSON, base64url), with this challenge. */
  authenticationOptions(input: {
    challenge: string;
    allowCredentials: ReadonlyArray<{ id: string; transports: readonly string[] }>;
  }): Promise<Record<string, unknown>>;
  /** Checks an assertion's signature, origin, RP ID hash and user presence/verification for this credential. */
  verifyAuthentication(input: {
    response: unknown;
    expectedChallenge: string;
    credential: { id: string; publicKey: string; transports: readonly string[] };
  }): Promise<WebAuthnAuthenticationVerdict>;
}

/** Input of {@link WebAuthnVerifier.registrationOptions}. */
export interface WebAuthnRegistrationOptionsInput {
  /** The challenge core generated and stored (base64url). */
  challenge: string;
  /** The user handle (base64url of opaque bytes derived from the user id; never personal data). */
  userHandle: string;
  /** The account name shown by the authenticator (the user's label). */
  userName: string;
  /** Credentials the user already has: the authenticator refuses to register one twice. */
  excludeCredentials: ReadonlyArray<{ id: string; transports: readonly string[] }>;
}

/** Result of {@link WebAuthnVerifier.verifyRegistration}. */
export type WebAuthnRegistrationVerdict =
  | {
      ok: true;
      credential: {
        id: string;
        publicKey: string;
        counter: number;
        transports: string[];
        backupEligible: boolean;
        backedUp: boolean;
      };
    }
  | { ok: false; reason: string };

/** Result of {@link WebAuthnVerifier.verifyAuthentication}. */
export type WebAuthnAuthenticationVerdict =
  | { ok: true; counter: number; backedUp: boolean }
  | { ok: false; reason: string };
