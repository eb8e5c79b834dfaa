/**
 * Issue 13: the pending sign-in carries the user's TOTP factor (sealed) from
 * the password step to the code step, so a code is checked without reading
 * the record. The attack: the factor is replaced while a sign-in is pending,
 * and the old secret's code is sent to that pending session. The carried copy
 * still matches it; the decision must refuse it because it is bound to the
 * factor's identity (`enrolledAt`). That pending sign-in is then useless (the
 * new secret's code is refused there too), and a new password step signs in
 * with the new secret.
 *
 * mfa-kit's own routes only replace a factor after removing it, which ends
 * every session (pending ones too); this replaces it in the store directly,
 * the way an import or a migration script could, so the binding is what's
 * tested. Over HTTP against the example app on Redis, single node and Cluster.
 * With `enrolledAt` left out of the carried check (verify.ts), the old code is
 * accepted and this test fails.
 */
import { randomBytes } from 'node:crypto';
import { createKeyRing, encodeBase32 } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, login, postFrom, signInEnrolling, startExampleOnRedis } from './example-on-redis.js';

describe.each([
  { topology: 'single node', cluster: false },
  { topology: 'Cluster', cluster: true },
])('a TOTP factor replaced while a sign-in is pending ($topology)', ({ cluster }) => {
  it("refuses the replaced secret's code that the pending sign-in's carried factor matches; a new password step signs in with the new secret", async () => {
    const encryptionKey = randomBytes(32).toString('base64');
    const example = await startExampleOnRedis({ cluster, encryptionKey });
    try {
      const alice = { id: 'u1', orgId: 'acme', roles: ['admin'] };
      const oldSecret = await signInEnrolling(example, agentOf(example), 'alice');
      example.clock.advance(60_000);

      // The password step: the pending sign-in now carries the old factor.
      const attacker = agentOf(example);
      expect((await login(example, attacker, 'alice')).body.status).toBe('challenge');

      // Meanwhile the factor is replaced in the store (a new secret, a new identity), sessions untouched.
      const newSecret = encodeBase32(randomBytes(20));
      // Sealed as core seals a TOTP secret: the example's key (id k1), bound to the user.
      const keyRing = createKeyRing({ keys: { k1: encryptionKey }, currentKeyId: 'k1' });
      const store = createRedisBackend({ client: example.redis, prefix: example.mfaPrefix }).store;
      await store.setTotp(alice.id, {
        sealedSecret: keyRing.seal(newSecret, `totp:${alice.id}`),
        algorithm: 'SHA1',
        digits: 6,
        periodInSeconds: 30,
        enrolledAt: example.clock.now(),
      });

      const old = await postFrom(example, attacker, '/api/mfa/sign-in/totp', {
        code: totpAt(oldSecret, example.clock),
      });
      expect(old.status).toBe(401);
      expect(old.body.error.code).toBe('INVALID_CODE');
      expect(
        (
          await postFrom(example, attacker, '/api/mfa/sign-in/totp', {
            code: totpAt(newSecret, example.clock),
          })
        ).status,
      ).toBe(401);
      const user = agentOf(example);
      expect((await login(example, user, 'alice')).body.status).toBe('challenge');
      const fresh = await postFrom(example, user, '/api/mfa/sign-in/totp', {
        code: totpAt(newSecret, example.clock),
      });
      expect(fresh.status).toBe(200);
      expect(fresh.body.status).toBe('signed-in');
    } finally {
      await example.close();
    }
  });
});
