// The adapter against the real @simplewebauthn/server, with a software authenticator
// (ES256, `none` attestation): options carry core's challenge, responses are checked
// for signature, origin, RP ID and challenge, and the counter is reported, not judged.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SoftAuthenticator } from '../../../test/webauthn/soft-authenticator.js';
import { createWebAuthnVerifier } from './create-webauthn-verifier.js';

const ORIGIN = 'https://app.example.com';
const verifier = createWebAuthnVerifier({ rpId: 'example.com', rpName: 'Example', origins: [ORIGIN] });
const challenge = () => randomBytes(32).toString('base64url');

async function registered(device = new SoftAuthenticator('example.com', ORIGIN)) {
  const options = await verifier.registrationOptions({
    challenge: challenge(),
    userHandle: randomBytes(16).toString('base64url'),
    userName: 'alice@example.com',
    excludeCredentials: [],
  });
  const response = device.register(options as { challenge: string });
  const verdict = await verifier.verifyRegistration({
    response,
    expectedChallenge: String(options['challenge']),
  });
  if (!verdict.ok) throw new Error(verdict.reason);
  return { device, credential: verdict.credential };
}

async function assertion(
  device: SoftAuthenticator,
  credential: { id: string; transports: string[] },
  origin?: string,
) {
  const options = await verifier.authenticationOptions({
    challenge: challenge(),
    allowCredentials: [credential],
  });
  const response = device.assert(options as { challenge: string }, origin === undefined ? {} : { origin });
  return { options, response };
}

describe('createWebAuthnVerifier', () => {
  it('refuses a bad relying party at creation with CONFIGURATION', () => {
    const bad = [
      { rpId: 'https://example.com', origins: [ORIGIN] },
      { rpId: 'Example.com', origins: [ORIGIN] },
      { rpId: 'example.com:443', origins: [ORIGIN] },
      { rpId: 'example.com', origins: [] },
      { rpId: 'example.com', origins: ['http://app.example.com'] },
      { rpId: 'example.com', origins: ['https://example.org'] },
      { rpId: 'example.com', origins: ['https://app.example.com/login'] },
      { rpId: 'example.com', origins: ['not a url'] },
      // Browsers refuse every ceremony for an IP-address RP ID.
      { rpId: '127.0.0.1', origins: ['http://127.0.0.1:3000'] },
      { rpId: '10.0.0.1', origins: ['https://10.0.0.1'] },
    ];
    for (const options of bad)
      expect(
        () => createWebAuthnVerifier({ ...options, rpName: 'Example' }),
        JSON.stringify(options),
      ).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
    expect(() => createWebAuthnVerifier({ rpId: 'example.com', rpName: '', origins: [ORIGIN] })).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION' }),
    );
    expect(() =>
      createWebAuthnVerifier({ rpId: 'localhost', rpName: 'Dev', origins: ['http://localhost:3000'] }),
    ).not.toThrow();
  });

  it("puts core's challenge into the options as it is", async () => {
    const value = challenge();
    const options = await verifier.authenticationOptions({ challenge: value, allowCredentials: [] });
    expect(options['challenge']).toBe(value);
    expect(options['rpId']).toBe('example.com');
  });

  it('verifies a registration and an assertion, reporting the counter and backup state', async () => {
    const { device, credential } = await registered();
    expect(credential).toMatchObject({
      counter: 0,
      transports: ['internal'],
      backupEligible: false,
      backedUp: false,
    });
    const { options, response } = await assertion(device, credential);
    expect(
      await verifier.verifyAuthentication({
        response,
        expectedChallenge: String(options['challenge']),
        credential,
      }),
    ).toEqual({ ok: true, counter: 1, backedUp: false });
  });

  it('reports a lower counter instead of refusing it (core refuses and records the regression)', async () => {
    const { device, credential } = await registered();
    const soft = device.credentials[0];
    if (soft === undefined) throw new Error('no credential');
    soft.signCount = 40;
    await assertion(device, credential);
    soft.signCount = 3;
    const { options, response } = await assertion(device, credential);
    expect(
      await verifier.verifyAuthentication({
        response,
        expectedChallenge: String(options['challenge']),
        credential,
      }),
    ).toEqual({ ok: true, counter: 4, backedUp: false });
  });

  it('refuses another origin, another challenge, a forged signature and garbage, as values', async () => {
    const { device, credential } = await registered();
    const phished = await assertion(device, credential, 'https://app.example.com.evil.test');
    const check = (response: unknown, expectedChallenge: string) =>
      verifier.verifyAuthentication({ response, expectedChallenge, credential });
    expect((await check(phished.response, String(phished.options['challenge']))).ok).toBe(false);
    const fine = await assertion(device, credential);
    expect((await check(fine.response, challenge())).ok).toBe(false);
    const forged = structuredClone(fine.response) as { response: { signature: string } };
    forged.response.signature = randomBytes(70).toString('base64url');
    expect((await check(forged, String(fine.options['challenge']))).ok).toBe(false);
    for (const garbage of [null, {}, { id: 'x', response: {} }, 'text'])
      expect((await check(garbage, String(fine.options['challenge']))).ok).toBe(false);
    expect((await verifier.verifyRegistration({ response: { id: 1 }, expectedChallenge: 'x' })).ok).toBe(
      false,
    );
  });
});
