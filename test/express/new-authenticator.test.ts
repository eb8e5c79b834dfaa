/**
 * Issue 9: the last accepted TOTP step outlived the factor. After an admin
 * reset or a self-service disable, the first code of the user's *new*
 * authenticator was refused as a replay when it fell in the same 30-second
 * step as the last code of the old one (and was charged as a failure).
 * Replay state belongs to the factor: a new secret starts with no used
 * steps, and the old secret, being gone, matches nothing.
 *
 * Replayed over HTTP against the example app on Redis; the clock is not
 * moved between the old code and the new one (same step).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import {
  type ExampleOnRedis,
  agentOf,
  login,
  signInEnrolling,
  startExampleOnRedis,
} from './example-on-redis.js';

let example: ExampleOnRedis;
beforeAll(async () => {
  example = await startExampleOnRedis();
});
afterAll(async () => {
  await example.close();
});

const post = (agent: ReturnType<typeof agentOf>, path: string, body: object = {}) =>
  agent.post(`/api/mfa${path}`).set('Origin', example.baseUrl).send(body);

describe('a new authenticator works at once, whatever step the old one used last', () => {
  it('after an admin reset: the first code of the new secret in the same step is accepted; the old secret is dead', async () => {
    const alice = { id: 'u1', orgId: 'acme', roles: ['admin'] };
    const oldSecret = await signInEnrolling(example, agentOf(example), 'alice');
    example.clock.advance(30_000);
    // Alice signs in with her old phone: this step is now used.
    const before = agentOf(example);
    expect((await login(example, before, 'alice')).body.status).toBe('challenge');
    expect((await post(before, '/sign-in/totp', { code: totpAt(oldSecret, example.clock) })).status).toBe(
      200,
    );

    // She loses the phone; the owner resets her MFA.
    await example.mfa.admin.reset({ kind: 'admin', id: 'u7' }, alice, { reason: 'lost phone' });

    // Same 30-second step: forced enrolment with a new phone; its first code confirms it.
    const agent = agentOf(example);
    expect((await login(example, agent, 'alice')).body.status).toBe('enrol');
    const enrol = await post(agent, '/totp/enrol');
    expect(enrol.status).toBe(200);
    const confirmed = await post(agent, '/totp/confirm', { code: totpAt(enrol.body.secret, example.clock) });
    expect(confirmed.status).toBe(200);
    expect((await example.mfa.status(alice)).limiter.families.totp?.failures ?? 0).toBe(0);

    // The old phone's codes match nothing any more; the new phone's next code signs in.
    example.clock.advance(30_000);
    const thief = agentOf(example);
    expect((await login(example, thief, 'alice')).body.status).toBe('challenge');
    expect((await post(thief, '/sign-in/totp', { code: totpAt(oldSecret, example.clock) })).status).toBe(401);
    const owner = agentOf(example);
    expect((await login(example, owner, 'alice')).body.status).toBe('challenge');
    expect(
      (await post(owner, '/sign-in/totp', { code: totpAt(enrol.body.secret, example.clock) })).status,
    ).toBe(200);
  });

  it('after a self-service disable: re-enrolling in the same step works at once', async () => {
    const agent = agentOf(example);
    expect((await login(example, agent, 'bob')).body.status).toBe('signed-in');
    const first = await post(agent, '/totp/enrol');
    expect(
      (await post(agent, '/totp/confirm', { code: totpAt(first.body.secret, example.clock) })).status,
    ).toBe(200);
    example.clock.advance(30_000);
    // Disabling proves the factor with a code: that step is now used.
    const disabled = await post(agent, '/disable', {
      factor: 'totp',
      code: totpAt(first.body.secret, example.clock),
    });
    expect(disabled.status).toBe(200);

    const again = agentOf(example);
    expect((await login(example, again, 'bob')).body.status).toBe('signed-in');
    const second = await post(again, '/totp/enrol');
    expect(second.status).toBe(200);
    const confirmed = await post(again, '/totp/confirm', { code: totpAt(second.body.secret, example.clock) });
    expect(confirmed.status).toBe(200);
  });
});
