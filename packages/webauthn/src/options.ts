/** Options of {@link createWebAuthnVerifier}. Validated once, at creation. */
export interface WebAuthnVerifierOptions {
  /**
   * The relying party id: the registrable domain credentials are scoped to
   * (e.g. `example.com`, or `localhost` in development). Lower case, no
   * scheme, no port (W3C WebAuthn §5.1.2 "RP ID").
   */
  rpId: string;
  /** The name authenticators show for the site, e.g. `Clarus WMS`. */
  rpName: string;
  /**
   * Every origin the ceremonies may come from, e.g. `['https://app.example.com']`.
   * Each must be `https://` (or `http://` on `localhost`) and its
   * host must be the RP ID or a subdomain of it.
   */
  origins: readonly string[];
  /**
   * User verification (PIN, biometrics) asked of the authenticator. As a second
   * factor after the password, presence is enough: `preferred` asks for it
   * without refusing authenticators that can't; `required` refuses them.
   * @default 'preferred'
   */
  userVerification?: 'required' | 'preferred' | 'discouraged';
  /**
   * Whether to ask for a discoverable credential (a passkey) at registration.
   * @default 'preferred'
   */
  residentKey?: 'required' | 'preferred' | 'discouraged';
  /** The ceremony timeout hinted to the browser, ms. @default 300_000 (W3C WebAuthn §15.1 recommends 5–10 minutes) */
  timeoutMs?: number;
}
