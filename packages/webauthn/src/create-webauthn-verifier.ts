import type { WebAuthnVerifier } from '@mfa-kit/core';
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { WebAuthnVerifierOptions } from './options.js';
import { resolveWebAuthnVerifierOptions } from './resolve-options.js';

/**
 * The COSE algorithms a credential may use: EdDSA, ES256 and RS256 (W3C
 * WebAuthn §5.4 recommends these). The library's verification would also
 * take keys nobody asked for, down to RS1 (RSA with SHA-1); one list for
 * the options and the check keeps what is accepted to what was requested.
 */
const ALGORITHMS = [-8, -7, -257];

const bytes = (base64url: string) => new Uint8Array(Buffer.from(base64url, 'base64url'));
const transportsOf = (list: readonly string[]) => list as AuthenticatorTransportFuture[];

/** Why the library refused, as a short reason (its messages name what failed, never a secret). */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'verification failed';
}

/**
 * Core's `WebAuthnVerifier` on `@simplewebauthn/server` 13: builds the
 * options JSON for `navigator.credentials.create()` / `.get()` and checks the
 * responses (signature, origin, RP ID hash, flags). Stateless: core stores
 * the challenges and decides counters and replays atomically, so this
 * adapter hands the library a stored counter of 0 (its own counter check
 * would throw before core could record the regression) and reports the
 * authenticator's counter back.
 *
 * @throws MfaError `CONFIGURATION` for an invalid RP ID, RP name or origin list.
 */
export function createWebAuthnVerifier(options: WebAuthnVerifierOptions): WebAuthnVerifier {
  const config = resolveWebAuthnVerifierOptions(options);
  const requireUserVerification = config.userVerification === 'required';
  const expected = { expectedOrigin: [...config.origins], expectedRPID: config.rpId };
  const verifier: WebAuthnVerifier = {
    name: 'simplewebauthn',
    rpId: config.rpId,
    async registrationOptions(input) {
      const json = await generateRegistrationOptions({
        rpName: config.rpName,
        rpID: config.rpId,
        userName: input.userName,
        userID: bytes(input.userHandle),
        challenge: bytes(input.challenge),
        timeout: config.timeoutMs,
        attestationType: 'none',
        supportedAlgorithmIDs: ALGORITHMS,
        excludeCredentials: input.excludeCredentials.map((c) => ({
          id: c.id,
          transports: transportsOf(c.transports),
        })),
        authenticatorSelection: {
          residentKey: config.residentKey,
          userVerification: config.userVerification,
        },
      });
      return json as unknown as Record<string, unknown>;
    },
    async verifyRegistration({ response, expectedChallenge }) {
      try {
        const result = await verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          expectedChallenge,
          ...expected,
          requireUserVerification,
          supportedAlgorithmIDs: ALGORITHMS,
        });
        if (!result.verified) return { ok: false, reason: 'not verified' };
        const info = result.registrationInfo;
        return {
          ok: true,
          credential: {
            id: info.credential.id,
            publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
            counter: info.credential.counter,
            transports: [...(info.credential.transports ?? [])],
            backupEligible: info.credentialDeviceType === 'multiDevice',
            backedUp: info.credentialBackedUp,
          },
        };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
    async authenticationOptions(input) {
      const json = await generateAuthenticationOptions({
        rpID: config.rpId,
        challenge: bytes(input.challenge),
        timeout: config.timeoutMs,
        userVerification: config.userVerification,
        allowCredentials: input.allowCredentials.map((c) => ({
          id: c.id,
          transports: transportsOf(c.transports),
        })),
      });
      return json as unknown as Record<string, unknown>;
    },
    async verifyAuthentication({ response, expectedChallenge, credential }) {
      try {
        const result = await verifyAuthenticationResponse({
          response: response as AuthenticationResponseJSON,
          expectedChallenge,
          ...expected,
          requireUserVerification,
          // Counter 0: the library would throw on a regression; core refuses it atomically and records it.
          credential: {
            id: credential.id,
            publicKey: bytes(credential.publicKey),
            counter: 0,
            transports: transportsOf(credential.transports),
          },
        });
        if (!result.verified) return { ok: false, reason: 'not verified' };
        return {
          ok: true,
          counter: result.authenticationInfo.newCounter,
          backedUp: result.authenticationInfo.credentialBackedUp,
        };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
  };
  return Object.freeze(verifier);
}
