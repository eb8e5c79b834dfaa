/**
 * Issue 9, session fixation: an attacker who plants their own session id in
 * a victim's browser (sibling subdomain, plain-HTTP hop, XSS elsewhere) must
 * get nothing of the victim's sign-in. Before the fix, `POST /api/login`
 * kept the planted id while the victim's sign-in went pending, so the
 * attacker enrolled their own authenticator on the victim's forced enrolment
 * and was signed in as the owner. Replayed over HTTP against the example app
 * on Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import {
  agentOf,
  type ExampleOnRedis,
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

/** The session cookie (`name=value`) the last response set on `agent`'s jar, as an attacker would copy it. */
function sessionCookieOf(response: { headers: Record<string, unknown> }): string {
  const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookie = cookies.find((c) => c.startsWith('mfa-example.sid='));
  if (cookie === undefined) throw new Error('no session cookie was set');
  return cookie.split(';')[0] as string;
}

describe('session fixation', () => {
  it("a planted session id gets nothing of the victim's forced enrolment (owner takeover)", async () => {
    // The attacker (alice, with her own authenticator) starts a pending sign-in to hold a session id.
    const attacker = agentOf(example);
    await signInEnrolling(example, agentOf(example), 'alice');
    example.clock.advance(30_000);
    const own = await login(example, attacker, 'alice');
    expect(own.body.status).toBe('challenge');
    const planted = sessionCookieOf(own);

    // The victim's browser carries the planted cookie when the owner signs in.
    const victim = agentOf(example);
    const victimLogin = await victim
      .post('/api/login')
      .set('Origin', example.baseUrl)
      .set('Cookie', planted)
      .send({ username: 'owen', password: 'correct-horse' });
    expect(victimLogin.body.status).toBe('enrol');
    // The password step gave the victim a new session id.
    expect(sessionCookieOf(victimLogin)).not.toBe(planted);

    // With the planted id the attacker tries to finish the owner's forced enrolment.
    const post = (path: string, body: object = {}) =>
      attacker.post(path).set('Origin', example.baseUrl).send(body);
    const enrol = await post('/api/mfa/totp/enrol');
    expect(enrol.status).toBe(401);
    expect(enrol.body.secret).toBeUndefined();
    expect((await attacker.get('/api/mfa/sign-in')).status).toBe(401);
    expect((await example.mfa.status({ id: 'u7' })).enrolled).toBe(false);

    // The victim's own sign-in goes on under the new id.
    const ownEnrol = await victim.post('/api/mfa/totp/enrol').set('Origin', example.baseUrl).send({});
    expect(ownEnrol.status).toBe(200);
    const confirmed = await victim
      .post('/api/mfa/totp/confirm')
      .set('Origin', example.baseUrl)
      .send({ code: totpAt(ownEnrol.body.secret, example.clock) });
    expect(confirmed.body.status).toBe('signed-in');
    expect((await attacker.get('/api/mfa/status')).status).toBe(401);
  });

  it('a planted anonymous-then-signed-in id: signing in as someone else ends the old session and starts clean', async () => {
    // bob is signed in; carol signs in from the same browser (or a planted cookie does).
    const agent = agentOf(example);
    const bob = await login(example, agent, 'bob');
    expect(bob.body.status).toBe('signed-in');
    const bobCookie = sessionCookieOf(bob);
    const carol = await login(example, agent, 'carol');
    expect(carol.body.status).toBe('signed-in');
    expect(sessionCookieOf(carol)).not.toBe(bobCookie);
    // Bob's old session id is dead: whoever kept a copy of it is signed out.
    const copy = agentOf(example);
    const stale = await copy.get('/api/mfa/status').set('Cookie', bobCookie);
    expect(stale.status).toBe(401);
    // The new session is carol's and only carol's.
    const status = await agent.get('/api/mfa/status');
    expect(status.status).toBe(200);
    const home = await agent.get('/');
    expect(home.text).toContain('Welcome, Carol');
    expect(home.text).not.toContain('Welcome, Bob');
  });
});
