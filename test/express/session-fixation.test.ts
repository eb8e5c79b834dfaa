/**
 * Issue 9, session fixation: an attacker who plants their own session id in
 * a victim's browser (sibling subdomain, plain-HTTP hop, XSS elsewhere) must
 * get nothing of the victim's sign-in. Before the fix, `POST /api/login`
 * kept the planted id while the victim's sign-in went pending, so the
 * attacker enrolled their own authenticator on the victim's forced enrolment
 * and was signed in as the owner. Replayed over HTTP against the example app
 * on Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, login, signInEnrolling, useExampleOnRedis } from './example-on-redis.js';

const running = useExampleOnRedis();
/** alice (an admin with her own authenticator) plays the attacker, who holds an account of her own. */
let aliceSecret: string;
beforeAll(async () => {
  aliceSecret = await signInEnrolling(running.example, agentOf(running.example), 'alice');
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
    const { example } = running;
    // The attacker starts a pending sign-in of her own to hold a session id.
    const attacker = agentOf(example);
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

  it('signing in as someone else on a signed-in session ends the old session and the new sign-in works', async () => {
    const { example } = running;
    const agent = agentOf(example);
    const bob = await login(example, agent, 'bob');
    expect(bob.body.status).toBe('signed-in');
    const bobCookie = sessionCookieOf(bob);
    // alice signs in from the same browser: her password step starts a new session...
    example.clock.advance(30_000);
    const alice = await login(example, agent, 'alice');
    expect(alice.body.status).toBe('challenge');
    expect(sessionCookieOf(alice)).not.toBe(bobCookie);
    // ...whose challenge succeeds (it used to answer 403 "You are already signed in").
    const verified = await agent
      .post('/api/mfa/sign-in/totp')
      .set('Origin', example.baseUrl)
      .send({ code: totpAt(aliceSecret, example.clock) });
    expect(verified.status).toBe(200);
    const home = await agent.get('/');
    expect(home.text).toContain('Welcome, Alice');
    // Bob's old session id is dead: whoever kept a copy of it is signed out.
    const stale = await agentOf(example).get('/api/mfa/status').set('Cookie', bobCookie);
    expect(stale.status).toBe(401);
  });
});
