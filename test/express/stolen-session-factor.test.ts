/**
 * Issue 9, a stolen session that plants its own factor: on a signed-in
 * session whose last proof was older than `freshFactorMs`, the enrolment
 * routes accepted a new authenticator or phone number with no current code;
 * the confirmation then counted as a fresh factor, so recovery codes could be
 * regenerated (killing the victim's) and the attacker's phone became an SMS
 * sign-in path. Replayed over HTTP against the example app on Redis.
 */
import { describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, login, postFrom, signInEnrolling, useExampleOnRedis } from './example-on-redis.js';

const running = useExampleOnRedis();

const FIVE_MINUTES = 300_000;
const send = (agent: ReturnType<typeof agentOf>, path: string, body: object = {}) =>
  postFrom(running.example, agent, `/api/mfa${path}`, body);

describe('a stolen session cannot change factors', () => {
  it('without a fresh code: no new authenticator, no new phone, no new recovery codes', async () => {
    const { example } = running;
    const stolen = agentOf(example);
    const secret = await signInEnrolling(example, stolen, 'alice');
    example.clock.advance(FIVE_MINUTES + 1);

    for (const [path, body] of [
      ['/totp/enrol', {}],
      ['/totp/confirm', { code: '123456' }],
      ['/sms/enrol', { phone: '+14155550199' }],
      ['/sms/confirm', { code: '123456' }],
      ['/recovery-codes', {}],
    ] as const) {
      const refused = await send(stolen, path, body);
      expect(refused.status, path).toBe(403);
      expect(refused.body.error, path).toMatchObject({ code: 'MFA_REQUIRED', stepUp: true });
    }
    expect(example.inbox.list().some((m) => m.kind === 'sms')).toBe(false);
    const status = await example.mfa.status({ id: 'u1' });
    expect(status.sms).toBeNull();

    // The owner, with a current code, still can (step-up, then the change).
    expect(
      (await send(stolen, '/verify', { factor: 'totp', code: totpAt(secret, example.clock) })).status,
    ).toBe(200);
    expect((await send(stolen, '/sms/enrol', { phone: '+14155550199' })).status).toBe(200);
  });

  it('confirming a new factor is not fresh proof: recovery codes still need a current code', async () => {
    const { example } = running;
    // bob has no factor: a fresh password step lets him add one...
    const bob = agentOf(example);
    expect((await login(example, bob, 'bob')).body.status).toBe('signed-in');
    const enrol = await send(bob, '/totp/enrol');
    expect(enrol.status).toBe(200);
    const confirmed = await send(bob, '/totp/confirm', { code: totpAt(enrol.body.secret, example.clock) });
    expect(confirmed.status).toBe(200);
    const firstCodes: string[] = confirmed.body.recoveryCodes;
    expect(firstCodes).toHaveLength(10);
    // ...but the new factor doesn't vouch for him: regenerating needs a code of it.
    const regenerate = await send(bob, '/recovery-codes');
    expect(regenerate.status).toBe(403);
    expect(regenerate.body.error).toMatchObject({ code: 'MFA_REQUIRED', stepUp: true });
    // Nor can he add a phone on the strength of the confirmation.
    expect((await send(bob, '/sms/enrol', { phone: '+14155550198' })).status).toBe(403);
    expect((await example.mfa.status({ id: 'u2' })).recoveryCodesRemaining).toBe(10);

    example.clock.advance(30_000);
    const withCode = await send(bob, '/recovery-codes', {
      factor: 'totp',
      code: totpAt(enrol.body.secret, example.clock),
    });
    expect(withCode.status).toBe(200);
  });

  it('a signed-in user without any factor needs a recent password step in this session', async () => {
    const { example } = running;
    const frank = agentOf(example);
    expect((await login(example, frank, 'frank')).body.status).toBe('signed-in');
    example.clock.advance(FIVE_MINUTES + 1);
    const late = await send(frank, '/totp/enrol');
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('MFA_REQUIRED');
    // Signing in again (a new session) makes it fresh.
    const again = agentOf(example);
    expect((await login(example, again, 'frank')).body.status).toBe('signed-in');
    expect((await send(again, '/totp/enrol')).status).toBe(200);
  });
});
