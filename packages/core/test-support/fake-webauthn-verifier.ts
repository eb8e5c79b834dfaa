// A WebAuthnVerifier for core tests: no cryptography, the "response" says what the verdict is.
import type { WebAuthnVerifier } from '../src/ports/webauthn-verifier.js';

/** A response as the fake reads it: `fake.valid` decides the verdict, `fake.counter` the signature counter. */
export function fakeWebAuthnResponse(
  credentialId: string,
  challenge: string,
  fake: { valid?: boolean; counter?: number } = {},
): Record<string, unknown> {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge })).toString(
    'base64url',
  );
  return { id: credentialId, rawId: credentialId, response: { clientDataJSON }, fake };
}

/** The challenge inside options the fake built. */
export function challengeOfOptions(options: Record<string, unknown>): string {
  return String(options['challenge']);
}

export function createFakeWebAuthnVerifier(): WebAuthnVerifier {
  const fakeOf = (response: unknown) =>
    ((response as { fake?: { valid?: boolean; counter?: number } }).fake ?? {}) as {
      valid?: boolean;
      counter?: number;
    };
  return {
    name: 'fake-webauthn',
    rpId: 'example.test',
    async registrationOptions(input) {
      return { challenge: input.challenge, user: { id: input.userHandle, name: input.userName } };
    },
    async verifyRegistration({ response }) {
      const fake = fakeOf(response);
      if (fake.valid === false) return { ok: false, reason: 'bad attestation' };
      const id = String((response as { id: unknown }).id);
      return {
        ok: true,
        credential: {
          id,
          publicKey: `pk-${id}`,
          counter: fake.counter ?? 0,
          transports: ['internal'],
          backupEligible: true,
          backedUp: false,
        },
      };
    },
    async authenticationOptions(input) {
      return { challenge: input.challenge, allowCredentials: input.allowCredentials };
    },
    async verifyAuthentication({ response, credential }) {
      const fake = fakeOf(response);
      if (fake.valid === false || credential.publicKey !== `pk-${credential.id}`)
        return { ok: false, reason: 'bad signature' };
      return { ok: true, counter: fake.counter ?? 0, backedUp: true };
    },
  };
}
