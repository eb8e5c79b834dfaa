/**
 * Passkey input abuse over HTTP against the example app on real Redis
 * (single node and the 3-master Cluster), with a software authenticator:
 * - assertions that are not assertions (missing or non-base64url fields, a
 *   wrong type, oversized parts, an oversized body) are `400 VALIDATION` or
 *   `413`, never a 500, and are not charged: a dozen of them do not start the
 *   cooldown that would refuse the user's real passkey next (they were
 *   `401 INVALID_CODE`, each counted as a failed verification);
 * - a registration's client-reported transports are kept only when known,
 *   once each (they were stored as sent and handed back in every sign-in's
 *   options);
 * - a passkey name with a bidi override, a zero-width space or a C1 control
 *   is refused (it is shown in pages and security notifications).
 */
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoftAuthenticator } from '../webauthn/soft-authenticator.js';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';
import { authenticatorFor, pendingWithOptions } from './passkey-http.js';

/** Signs `username` in (optional MFA, no factor yet) and registers a passkey of `device`, changing its response first. */
async function registerPasskey(
  example: ExampleOnRedis,
  username: string,
  device: SoftAuthenticator,
  change: (response: Record<string, unknown>) => Record<string, unknown> = (r) => r,
) {
  const agent = agentOf(example);
  expect((await login(example, agent, username)).body.status).toBe('signed-in');
  const options = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
  expect(options.status, options.text).toBe(200);
  const verify = await postFrom(example, agent, '/api/mfa/webauthn/register/verify', {
    response: change(device.register(options.body.options)),
  });
  expect(verify.status, verify.text).toBe(200);
  return { agent, credential: verify.body.credential as { id: string; transports: string[] } };
}

const signIn = (example: ExampleOnRedis, agent: supertest.Agent, response: unknown) =>
  postFrom(example, agent, '/api/mfa/sign-in/webauthn', { response });

/** Each a JSON object that is not an assertion. */
function notAssertions(valid: Record<string, unknown>): unknown[] {
  const inner = valid['response'] as Record<string, unknown>;
  const withInner = (patch: Record<string, unknown>) => ({ ...valid, response: { ...inner, ...patch } });
  return [
    {},
    { id: '!!' },
    { id: 'abc', response: { clientDataJSON: 'e30' } },
    { ...valid, type: 'password' },
    { ...valid, id: 'a'.repeat(1365), rawId: 'a'.repeat(1365) },
    { ...valid, rawId: undefined },
    withInner({ signature: undefined }),
    withInner({ signature: 12 }),
    withInner({ authenticatorData: 'not base64url!' }),
    withInner({ clientDataJSON: 'a'.repeat(8193) }),
    withInner({ userHandle: { $gt: '' } }),
    { ...valid, response: [inner] },
  ];
}

for (const cluster of [false, true]) {
  describe(`passkey input abuse over HTTP (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
    });
    afterAll(async () => {
      await example?.close();
    });

    it('malformed assertions are 400 VALIDATION, uncharged: the real passkey still signs in after a dozen', async () => {
      const device = authenticatorFor(example);
      await registerPasskey(example, 'bob', device);
      const { agent, options } = await pendingWithOptions(example, 'bob');
      const valid = device.assert(options);
      for (const response of notAssertions(valid)) {
        const answer = await signIn(example, agent, response);
        expect(answer.status, JSON.stringify(response).slice(0, 200)).toBe(400);
        expect(answer.body.error.code).toBe('VALIDATION');
      }
      const huge = await signIn(example, agent, { ...valid, padding: 'x'.repeat(64 * 1024) });
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('VALIDATION');
      const nested = await postFrom(example, agent, '/api/mfa/sign-in/webauthn', {
        response: JSON.parse(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`),
      });
      expect(nested.status).toBe(400);
      // Nothing was charged: the limiter (5 failures → cooldown) would refuse this otherwise.
      const real = await signIn(example, agent, valid);
      expect(real.status, real.text).toBe(200);
      expect(real.body).toMatchObject({ status: 'signed-in', factor: 'webauthn' });
    });

    it("a registration's reported transports are kept only when known, once each", async () => {
      const device = authenticatorFor(example);
      const { agent } = await registerPasskey(example, 'frank', device, (response) => ({
        ...response,
        response: {
          ...(response['response'] as object),
          transports: [
            'usb',
            '<img src=x onerror=alert(1)>',
            'usb',
            'hybrid',
            'x'.repeat(32),
            'internal,nfc',
          ],
        },
      }));
      const listed = await agent.get('/api/mfa/webauthn/credentials');
      expect(listed.body.credentials.map((c: { transports: string[] }) => c.transports)).toEqual([
        ['usb', 'hybrid'],
      ]);
      const { options } = await pendingWithOptions(example, 'frank');
      expect(options.allowCredentials).toEqual([expect.objectContaining({ transports: ['usb', 'hybrid'] })]);
    });

    it('a passkey name with a bidi override, a zero-width space or a C1 control is 400 VALIDATION', async () => {
      const { agent, credential } = await registerPasskey(example, 'carol', authenticatorFor(example));
      const rename = (name: string) =>
        agent
          .patch(`/api/mfa/webauthn/credentials/${credential.id}`)
          .set('Origin', example.baseUrl)
          .send({ name });
      for (const name of [
        'Laptop\u202Eyek',
        'Lap\u200Btop',
        'Laptop\u0085',
        'Lap\u2028top',
        '\u2066Laptop',
      ]) {
        const answer = await rename(name);
        expect(answer.status, JSON.stringify(name)).toBe(400);
        expect(answer.body.error.code).toBe('VALIDATION');
      }
      // Markup and emoji are text: the example escapes it, the API returns it as given.
      for (const name of ['<b>Work</b> key', 'Family 👨\u200D👩\u200D👧', 'Clé ÿ']) {
        const answer = await rename(name);
        expect(answer.status, answer.text).toBe(200);
        expect(answer.body.credentials[0].name).toBe(name);
      }
    });
  });
}
