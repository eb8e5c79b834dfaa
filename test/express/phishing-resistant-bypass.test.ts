/**
 * Getting around a phishing-resistant requirement, over HTTP against the
 * example app on real Redis (single node and the 3-master Cluster): Alice
 * (admin) has TOTP, recovery codes and a passkey, and a browser trusted after
 * a TOTP sign-in; then the admin role is made to require phishing-resistant
 * MFA. An attacker holding her password and relaying her TOTP or a recovery
 * code, or holding that trusted browser's cookie, gets:
 * - no skip from the browser trusted after TOTP, and a sign-in that offers
 *   only the passkey: a valid TOTP code and a valid recovery code are refused
 *   before anything is verified (409 NOT_ENROLLED);
 * - from the session that signed in with TOTP before the change, no admin
 *   page (requireMfa sends it to register or use a passkey);
 * - a relayed TOTP step-up in a stolen passkey session whose proof is stale is
 *   refused (403, requiredFactor webauthn): no new passkey of his own and no
 *   removal of hers.
 * Her passkey signs her in and opens the admin pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, type ExampleOnRedis, login, postFrom, startExampleOnRedis } from './example-on-redis.js';
import { authenticatorFor } from './passkey-http.js';

const TRUST_COOKIE = 'mfa-trusted';

function trustTokenOf(setCookie: string[] | string | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  const value = list
    .find((c) => c.startsWith(`${TRUST_COOKIE}=`))
    ?.split(';')[0]
    ?.split('=')[1];
  if (value === undefined || value === '') throw new Error(`no trust cookie in ${String(setCookie)}`);
  return value;
}

for (const cluster of [false, true]) {
  describe(`phishing-resistant requirement bypasses (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
    });
    afterAll(async () => {
      await example?.close();
    });

    /** The next TOTP code (a new step each time: a step is accepted once). */
    const nextCode = (secret: string) => {
      example.clock.advance(30_000);
      return totpAt(secret, example.clock);
    };

    it('TOTP, a recovery code, a TOTP-trusted browser and a TOTP step-up all fail to stand in for her passkey', async () => {
      const device = authenticatorFor(example);
      // Alice: forced enrolment with TOTP (recovery codes), a step-up, then a passkey.
      const setup = agentOf(example);
      expect((await login(example, setup, 'alice')).body.status).toBe('enrol');
      const secret: string = (await postFrom(example, setup, '/api/mfa/totp/enrol')).body.secret;
      const confirmed = await postFrom(example, setup, '/api/mfa/totp/confirm', {
        code: totpAt(secret, example.clock),
      });
      expect(confirmed.status, confirmed.text).toBe(200);
      const recoveryCodes: string[] = confirmed.body.recoveryCodes;
      const stepUp = await postFrom(example, setup, '/api/mfa/verify', {
        factor: 'totp',
        code: nextCode(secret),
      });
      expect(stepUp.status, stepUp.text).toBe(200);
      const options = await postFrom(example, setup, '/api/mfa/webauthn/register/options');
      const registered = await postFrom(example, setup, '/api/mfa/webauthn/register/verify', {
        response: device.register(options.body.options),
      });
      expect(registered.status, registered.text).toBe(200);
      // A browser trusted after a TOTP sign-in, signed in with TOTP.
      const codeSession = agentOf(example);
      expect((await login(example, codeSession, 'alice')).body.status).toBe('challenge');
      const trusted = await postFrom(example, codeSession, '/api/mfa/sign-in/totp', {
        code: nextCode(secret),
        trustDevice: true,
      });
      expect(trusted.status, trusted.text).toBe(200);
      const token = trustTokenOf(trusted.headers['set-cookie']);
      expect((await codeSession.get('/admin/users')).status).toBe(200);

      // The admin role now requires phishing-resistant MFA (past the policy cache's bound).
      await example.mfa.admin.updatePolicy({ kind: 'system', id: 'test' }, (policy) => ({
        ...policy,
        phishingResistantRoles: ['admin'],
      }));
      example.clock.advance(5_000);

      // The TOTP session: no admin page, sent to the passkeys page instead.
      const page = await codeSession.get('/admin/users');
      expect(page.status).toBe(303);
      expect(page.headers['location']).toBe('/security/passkeys?required=1');

      // The TOTP-trusted browser: no skip, and only the passkey is offered.
      const attacker = agentOf(example);
      const started = await login(example, attacker, 'alice').set('Cookie', `${TRUST_COOKIE}=${token}`);
      expect(started.body.status).toBe('challenge');
      expect((await attacker.get('/api/mfa/sign-in')).body.factors).toEqual(['webauthn']);
      const relayedCode = await postFrom(example, attacker, '/api/mfa/sign-in/totp', {
        code: nextCode(secret),
      });
      expect(relayedCode.status, relayedCode.text).toBe(409);
      expect(relayedCode.body.error.code).toBe('NOT_ENROLLED');
      const relayedRecovery = await postFrom(example, attacker, '/api/mfa/sign-in/recovery', {
        code: recoveryCodes[0],
      });
      expect(relayedRecovery.status, relayedRecovery.text).toBe(409);
      expect((await attacker.get('/api/mfa/status')).status).toBe(401);

      // Her passkey signs her in (the recovery code was not spent by the refusal above).
      const own = agentOf(example);
      expect((await login(example, own, 'alice')).body.status).toBe('challenge');
      const assertionOptions = await postFrom(example, own, '/api/mfa/sign-in/webauthn/options');
      const signedIn = await postFrom(example, own, '/api/mfa/sign-in/webauthn', {
        response: device.assert(assertionOptions.body.options),
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      expect((await own.get('/admin/users')).status).toBe(200);
      expect((await own.get('/api/mfa/status')).body.recoveryCodesRemaining).toBe(recoveryCodes.length);

      // That passkey session stolen once its proof is stale, and a relayed TOTP code offered as a
      // step-up: refused before it is verified (she steps up with her passkey alone), so the session
      // gets no fresh proof and no passkey changes.
      example.clock.advance(6 * 60_000);
      const relayedStepUp = await postFrom(example, own, '/api/mfa/verify', {
        factor: 'totp',
        code: nextCode(secret),
      });
      expect(relayedStepUp.status, relayedStepUp.text).toBe(403);
      expect(relayedStepUp.body.error.requiredFactor).toBe('webauthn');
      const addOwn = await postFrom(example, own, '/api/mfa/webauthn/register/options');
      expect(addOwn.status, addOwn.text).toBe(403);
      expect(addOwn.body.error.stepUpFactors).toEqual(['webauthn']);
      const remove = await own
        .delete(`/api/mfa/webauthn/credentials/${registered.body.credential.id}`)
        .set('Origin', example.baseUrl);
      expect(remove.status, remove.text).toBe(403);
      expect(await example.mfa.webauthn.list({ id: 'u1' })).toHaveLength(1);
    });
  });
}
