/**
 * Registering passkeys the way an attacker would, over HTTP against the
 * example app on real Redis (single node and the 3-master Cluster), with a
 * software authenticator and the real `@simplewebauthn/server` checks:
 * - a credential whose key uses an algorithm the options never offered (RS1,
 *   RSA with SHA-1) is refused (it was stored: the library's check accepts
 *   every algorithm it knows unless told otherwise);
 * - a credential id another user registered, registered again under the
 *   attacker's account with the attacker's key, signs in nobody but the
 *   attacker: the victim's sign-in checks the victim's own credentials only;
 * - a forced enrolment whose password step is no longer fresh registers
 *   nothing, even with options it got while it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';
import { authenticatorFor, pendingWithOptions } from './passkey-http.js';

/** A session of `username` (signed in with optional MFA, or a forced enrolment) with registration options. */
async function registering(example: ExampleOnRedis, username: string) {
  const agent = agentOf(example);
  expect(['signed-in', 'enrol']).toContain((await login(example, agent, username)).body.status);
  const options = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
  expect(options.status, options.text).toBe(200);
  return { agent, options: options.body.options as { challenge: string } };
}

for (const cluster of [false, true]) {
  describe(`passkey registration abuse over HTTP (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
    });
    afterAll(async () => {
      await example?.close();
    });

    it('a credential with an RS1 (RSA with SHA-1) key, never offered in the options, is refused', async () => {
      const { agent, options } = await registering(example, 'erin');
      const offered = (options as unknown as { pubKeyCredParams: { alg: number }[] }).pubKeyCredParams;
      expect(offered.map((p) => p.alg)).not.toContain(-65535);
      const device = authenticatorFor(example);
      const weak = await postFrom(example, agent, '/api/mfa/webauthn/register/verify', {
        response: device.register(options, { algorithm: -65535 }),
      });
      expect(weak.status, weak.text).toBe(401);
      expect(weak.body.error.code).toBe('INVALID_CODE');
      expect((await agent.get('/api/mfa/webauthn/credentials')).body.credentials).toEqual([]);
    });

    it("another user's credential id registered under the attacker's account signs in nobody else", async () => {
      const victimDevice = authenticatorFor(example);
      const victim = await registering(example, 'bob');
      const registered = await postFrom(example, victim.agent, '/api/mfa/webauthn/register/verify', {
        response: victimDevice.register(victim.options),
      });
      expect(registered.status, registered.text).toBe(200);
      const stolenId = Buffer.from(registered.body.credential.id, 'base64url');
      // The attacker (frank) registers the victim's credential id with a key of his own.
      const attackerDevice = authenticatorFor(example);
      const attacker = await registering(example, 'frank');
      const copied = await postFrom(example, attacker.agent, '/api/mfa/webauthn/register/verify', {
        response: attackerDevice.register(attacker.options, { id: stolenId }),
      });
      expect(copied.status, copied.text).toBe(200);
      // His key, under that id, in the victim's pending sign-in (an attacker who also knows bob's password).
      const pending = await pendingWithOptions(example, 'bob');
      const forged = await postFrom(example, pending.agent, '/api/mfa/sign-in/webauthn', {
        response: attackerDevice.assert(pending.options),
      });
      expect(forged.status, forged.text).toBe(401);
      expect((await pending.agent.get('/api/mfa/status')).status).toBe(401);
      // The victim's own passkey still signs the victim in; the attacker's signs in the attacker only.
      const own = await pendingWithOptions(example, 'bob');
      const mine = await postFrom(example, own.agent, '/api/mfa/sign-in/webauthn', {
        response: victimDevice.assert(own.options),
      });
      expect(mine.status, mine.text).toBe(200);
      const his = await pendingWithOptions(example, 'frank');
      const signedIn = await postFrom(example, his.agent, '/api/mfa/sign-in/webauthn', {
        response: attackerDevice.assert(his.options),
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      expect((await his.agent.get('/api/mfa/status')).status).toBe(200);
    });

    it('a forced enrolment whose password step is no longer fresh registers nothing, even with options it got in time', async () => {
      const device = authenticatorFor(example);
      const { agent, options } = await registering(example, 'alice');
      // Fresh proof lasts 5 minutes; the pending sign-in 10: past the first, within the second.
      example.clock.advance(6 * 60_000);
      const late = await postFrom(example, agent, '/api/mfa/webauthn/register/verify', {
        response: device.register(options),
      });
      expect(late.status, late.text).toBe(401);
      expect(late.body.error.code).toBe('SESSION_EXPIRED');
      const again = await postFrom(example, agent, '/api/mfa/webauthn/register/options');
      expect(again.status).toBe(401);
      expect(await example.mfa.webauthn.list({ id: 'u1' })).toEqual([]);
    });
  });
}
