/**
 * Issue 9, locks that didn't hold: an admin lock left the user's live
 * sessions working, and a locked admin's old session could still use the
 * admin API and lift her own lock (`POST /users/<own id>/unlock` → 200).
 * Replayed over HTTP against the example app on Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, login, postFrom, signInEnrolling, useExampleOnRedis } from './example-on-redis.js';

// The test moves the limiter's clock (cooldowns) with the app's.
const running = useExampleOnRedis({ clockSource: 'caller' });
let admin: ReturnType<typeof agentOf>;
let aliceSecret: string;
beforeAll(async () => {
  admin = agentOf(running.example);
  aliceSecret = await signInEnrolling(running.example, admin, 'alice');
});

const send = (agent: ReturnType<typeof agentOf>, path: string, body: object = {}) =>
  postFrom(running.example, agent, path, body);

describe('locks end sessions; nobody unlocks themselves', () => {
  it('an admin lock ends every live session of the user at once', async () => {
    const { example } = running;
    const phone = agentOf(example);
    const laptop = agentOf(example);
    for (const agent of [phone, laptop]) {
      expect((await login(example, agent, 'frank')).body.status).toBe('signed-in');
      expect((await agent.get('/api/mfa/status')).status).toBe(200);
    }
    expect((await send(admin, '/api/admin/mfa/users/u6/lock', { reason: 'stolen laptop' })).status).toBe(200);
    for (const agent of [phone, laptop]) expect((await agent.get('/api/mfa/status')).status).toBe(401);
    expect((await login(example, agentOf(example), 'frank')).status).toBe(423);
    // The admin's own session is untouched.
    expect((await admin.get('/api/admin/mfa/users')).status).toBe(200);
  });

  it('an admin locked by failed codes cannot use the admin API with her old session, nor unlock herself', async () => {
    const { example } = running;
    example.clock.advance(30_000);
    const alice = agentOf(example);
    expect((await login(example, alice, 'alice')).body.status).toBe('challenge');
    expect(
      (await send(alice, '/api/mfa/sign-in/totp', { code: totpAt(aliceSecret, example.clock) })).status,
    ).toBe(200);
    expect((await alice.get('/api/admin/mfa/users')).status).toBe(200);
    // Unlocking yourself is refused even when there is nothing to lift.
    expect((await send(alice, '/api/admin/mfa/users/u1/unlock')).status).toBe(403);

    // Someone with alice's password guesses codes until the account locks (5, a cooldown, 5 more).
    const attacker = agentOf(example);
    let last = 0;
    for (let round = 0; round < 2; round += 1) {
      expect((await login(example, attacker, 'alice')).body.status).toBe('challenge');
      for (let i = 0; i < 5; i += 1)
        last = (await send(attacker, '/api/mfa/sign-in/totp', { code: '000000' })).status;
      example.clock.advance(301_000);
    }
    expect(last).toBe(423);
    expect((await example.mfa.status({ id: 'u1' })).limiter.locked).toBe(true);

    // alice's old session can no longer administer, nor lift her own lock.
    expect((await alice.get('/api/admin/mfa/users')).status).toBe(423);
    expect((await send(alice, '/api/admin/mfa/users/u1/unlock')).status).toBe(423);
    expect((await example.mfa.status({ id: 'u1' })).limiter.locked).toBe(true);
  });
});
